package dev.llamascope.app.ui.data;

import dev.llamascope.app.ui.FxmlViews;
import java.util.List;
import java.util.Locale;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;

/** The Data pane's frame: the header and one tab per step of the recipe. Layout in data-pane.fxml. */
final class DataPaneView extends BorderPane {
    /** The steps' names, as {@code --data-tab} takes them, in tab order. */
    static final List<String> STEPS = List.of("prompts", "stories", "diversity", "tokenizer", "dataset");

    @FXML private TabPane steps;
    @FXML private Tab promptsTab, storiesTab, diversityTab, tokenizerTab, datasetTab;

    DataPaneView(Node prompts, Node stories, Node diversity, Node tokenizer, Node dataset) {
        FxmlViews.load(this, "data-pane.fxml");
        promptsTab.setContent(prompts);
        storiesTab.setContent(stories);
        diversityTab.setContent(diversity);
        tokenizerTab.setContent(tokenizer);
        datasetTab.setContent(dataset);
    }

    /** Shows a step by name ("prompts" … "dataset"). */
    void show(String step) {
        int i = STEPS.indexOf(step.toLowerCase(Locale.ROOT));
        if (i < 0) throw new IllegalArgumentException("no data step named '" + step + "' (one of " + String.join(", ", STEPS) + ")");
        steps.getSelectionModel().select(i);
    }

    String shown() {
        return STEPS.get(steps.getSelectionModel().getSelectedIndex());
    }
}
