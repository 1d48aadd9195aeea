package dev.llamascope.engine.inference;

/**
 * How the next token is chosen. With only temperature and top-p set this is run.c's sampler exactly; top-k,
 * min-p and the repetition penalty compose with it (penalty on logits, then temperature, softmax, top-k, min-p,
 * top-p).
 *
 * @param temperature   0 = greedy (argmax)
 * @param topP          nucleus threshold; off when <= 0 or >= 1
 * @param topK          keep the k most likely tokens; off when <= 0
 * @param minP          drop tokens below minP times the top probability; off when <= 0
 * @param repeatPenalty divide positive logits (multiply negative ones) of recent tokens; off when 1
 * @param repeatLastN   how many recent tokens the penalty looks at
 * @param seed          xorshift64* state, as run.c's --seed
 */
public record SamplerSettings(float temperature, float topP, int topK, float minP, float repeatPenalty,
                              int repeatLastN, long seed) {
    public SamplerSettings {
        if (!(temperature >= 0) || Float.isInfinite(temperature)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (Float.isNaN(topP)) throw new IllegalArgumentException("top-p is not a number");
        if (!(minP >= 0 && minP <= 1)) throw new IllegalArgumentException("min-p must be in [0, 1], got " + minP);
        if (!(repeatPenalty > 0) || Float.isInfinite(repeatPenalty)) throw new IllegalArgumentException("repeat penalty must be > 0, got " + repeatPenalty);
        if (repeatLastN < 0) throw new IllegalArgumentException("repeat window must be >= 0");
    }

    /** run.c's defaults: temperature 1.0, top-p 0.9. */
    public static SamplerSettings runC(float temperature, float topP, long seed) {
        return new SamplerSettings(temperature, topP, 0, 0f, 1f, 64, seed);
    }

    public static SamplerSettings greedy() {
        return runC(0f, 0.9f, 1);
    }

    public SamplerSettings withSeed(long s) {
        return new SamplerSettings(temperature, topP, topK, minP, repeatPenalty, repeatLastN, s);
    }
}
