package dev.llamascope.app.ui.data;

import java.nio.file.Path;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * What the steps of the recipe hand to each other: the prompt file saved in step 1 is where step 2 reads, the
 * stories step 2 wrote are what steps 3 to 5 look at, and the tokenizer step 4 trained ("use this tokenizer") is
 * the one step 5 counts and pretokenizes with. A later step's field follows these while it is empty or still shows
 * the earlier value, so what the user typed there is kept ({@link FileField#follow}). FX thread only.
 */
final class DataRecipe {
    private final ObjectProperty<Path> prompts = new SimpleObjectProperty<>(this, "prompts");
    private final ObjectProperty<Path> stories = new SimpleObjectProperty<>(this, "stories");
    private final ObjectProperty<Path> tokenizer = new SimpleObjectProperty<>(this, "tokenizer");
    private final javafx.beans.property.StringProperty language = new javafx.beans.property.SimpleStringProperty(this, "language");

    /** The last prompt file saved. */
    ObjectProperty<Path> promptsProperty() {
        return prompts;
    }

    /** The last story file written (or analysed). */
    ObjectProperty<Path> storiesProperty() {
        return stories;
    }

    /** The tokenizer chosen for the dataset step (a tokenizer.bin the Tokenizer step wrote), or null for the model's. */
    ObjectProperty<Path> tokenizerProperty() {
        return tokenizer;
    }

    /** The language of the last prompt set saved ("en", "zh"): the word lists the diversity step counts. */
    javafx.beans.property.StringProperty languageProperty() {
        return language;
    }
}
