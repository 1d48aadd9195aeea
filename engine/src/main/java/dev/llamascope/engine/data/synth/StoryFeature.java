package dev.llamascope.engine.data.synth;

/**
 * A property a story should have (dialogue, a plot twist, ...): a stable id, kept with each record as a label, and
 * the words the prompt uses to ask for it.
 */
public record StoryFeature(String id, String text) {
    public StoryFeature {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("a story feature needs an id");
        if (text == null || text.isBlank()) throw new IllegalArgumentException("story feature '" + id + "' needs a text");
    }
}
