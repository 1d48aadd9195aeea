package dev.llamascope.engine.cuda;

/**
 * The hyperparameters of one training step besides the learning rate (which a schedule changes every step).
 * Defaults follow llama2.c's train.py: AdamW betas (0.9, 0.95), eps 1e-8, weight decay 0.1 on matrices and the
 * embedding, gradient clipping at norm 1.0, no dropout.
 *
 * @param dropout probability on the embedding output, the attention probabilities and both residual branches
 *                (as llama2.c's model.py); 0 turns it off
 * @param seed    the dropout masks' seed (with the step number, layer and site)
 */
public record StepSettings(float weightDecay, float beta1, float beta2, float eps, float gradClip, float dropout, long seed) {
    public StepSettings {
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        if (!(eps > 0) || !Float.isFinite(eps)) throw new IllegalArgumentException("eps must be > 0, got " + eps);
        if (!(gradClip >= 0) || !Float.isFinite(gradClip)) throw new IllegalArgumentException("gradient clip must be >= 0 (0 = off), got " + gradClip);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }

    public static StepSettings llama2c() {
        return new StepSettings(0.1f, 0.9f, 0.95f, 1e-8f, 1.0f, 0.0f, 1337L);
    }
}
