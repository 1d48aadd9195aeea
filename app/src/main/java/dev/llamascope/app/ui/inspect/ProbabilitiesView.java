package dev.llamascope.app.ui.inspect;

import dev.llamascope.app.ui.viz.TokenText;
import dev.llamascope.engine.inference.inspect.Inspection;
import dev.llamascope.engine.inference.inspect.Inspector;
import dev.llamascope.engine.inference.inspect.Prediction;
import dev.llamascope.engine.model.LoadedModel;
import java.util.Locale;
import java.util.stream.IntStream;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The next-token distribution at every position: one row per position (a virtualised list, so 512 rows cost the
 * few on screen) with the context token, the token that really follows and its probability and rank, the entropy,
 * and the top-k candidates as bars, the real next token highlighted among them.
 */
public final class ProbabilitiesView extends BorderPane {
    private final InspectModel model;
    final ListView<Integer> list = new ListView<>();

    public ProbabilitiesView(InspectModel model) {
        this.model = model;
        getStyleClass().add("probabilities-view");
        list.setCellFactory(v -> new PredictionCell());
        list.getStyleClass().add("prediction-list");
        model.inspectionProperty().addListener((o, a, b) -> refresh());
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> { if (b != null) model.positionProperty().set(b); });
        model.positionProperty().addListener((o, a, b) -> {
            int p = b.intValue();
            if (p >= 0 && p < list.getItems().size() && !Integer.valueOf(p).equals(list.getSelectionModel().getSelectedItem())) {
                list.getSelectionModel().select(p);
                list.scrollTo(Math.max(0, p - 2));
            }
        });
        Label header = new Label("position · token → the token that follows (its probability, rank) · entropy · the model's top candidates");
        header.getStyleClass().add("inspect-status");
        header.setPadding(new Insets(0, 0, 0, 6));
        VBox.setVgrow(list, Priority.ALWAYS);
        VBox center = new VBox(6, header, list);
        setCenter(center);
        BorderPane.setMargin(center, new Insets(6, 8, 6, 0));
        setRight(Panels.side(Panels.title("What you see"), Panels.explanation(Explanations.PROBABILITIES)));
        refresh();
    }

    private void refresh() {
        Inspection in = model.getInspection();
        list.getItems().setAll(in == null || in.predictions() == null ? java.util.List.of()
                : IntStream.range(0, in.positions()).boxed().toList());
    }

    private final class PredictionCell extends ListCell<Integer> {
        private final Label pos = new Label(), token = new Label(), arrow = new Label("→"), next = new Label(), entropy = new Label();
        private final Region entropyBar = new Region();
        private final HBox candidates = new HBox(6);
        private final HBox root;

        PredictionCell() {
            pos.getStyleClass().add("pred-pos");
            token.getStyleClass().add("pred-token");
            next.getStyleClass().add("pred-next");
            entropy.getStyleClass().add("pred-entropy");
            entropyBar.getStyleClass().add("pred-entropy-bar");
            arrow.getStyleClass().add("pred-arrow");
            pos.setMinWidth(34);
            token.setMinWidth(90);
            token.setPrefWidth(90);
            next.setMinWidth(150);
            next.setPrefWidth(150);
            StackPane eBox = new StackPane(entropyBar, entropy);
            eBox.setAlignment(Pos.CENTER_LEFT);
            StackPane.setAlignment(entropyBar, Pos.CENTER_LEFT);
            eBox.setMinWidth(84);
            eBox.setPrefWidth(84);
            eBox.getStyleClass().add("pred-entropy-box");
            root = new HBox(8, pos, token, arrow, next, eBox, candidates);
            root.setAlignment(Pos.CENTER_LEFT);
            setText(null);
        }

        @Override
        protected void updateItem(Integer p, boolean empty) {
            super.updateItem(p, empty);
            Inspection in = model.getInspection();
            LoadedModel lm = model.getModel();
            if (empty || p == null || in == null || lm == null) {
                setGraphic(null);
                return;
            }
            Prediction pr = in.predictions()[p];
            pos.setText(Integer.toString(p));
            token.setText(TokenText.shorten(TokenText.display(in.pieces().get(p)), 12));
            if (pr.chosen() >= 0) {
                next.setText(String.format(Locale.ROOT, "%s  %.1f%%%s", TokenText.shorten(TokenText.display(Inspector.label(lm.tokenizer(), pr.chosen())), 12),
                        100 * pr.chosenProb(), pr.chosenRank() == 0 ? "" : "  #" + (pr.chosenRank() + 1)));
                next.getStyleClass().removeAll("pred-next-none");
            } else {
                next.setText("(end of text)");
                if (!next.getStyleClass().contains("pred-next-none")) next.getStyleClass().add("pred-next-none");
            }
            double maxBits = Math.log(in.config().vocabSize()) / Math.log(2);
            entropy.setText(String.format(Locale.ROOT, "%.2f bits", pr.entropyBits()));
            entropyBar.setMaxWidth(84 * Math.min(1, pr.entropyBits() / maxBits));
            entropyBar.setPrefWidth(84 * Math.min(1, pr.entropyBits() / maxBits));
            candidates.getChildren().clear();
            for (int j = 0; j < pr.ids().length; j++) candidates.getChildren().add(candidate(lm, pr, j));
            setGraphic(root);
        }

        private VBox candidate(LoadedModel lm, Prediction pr, int j) {
            Label name = new Label(TokenText.shorten(TokenText.display(Inspector.label(lm.tokenizer(), pr.ids()[j])), 10));
            name.getStyleClass().add("cand-name");
            Region bar = new Region();
            bar.getStyleClass().add("cand-bar");
            double w = Math.max(1, 70 * pr.probs()[j]);
            bar.setPrefWidth(w);
            bar.setMaxWidth(w);
            bar.setMinWidth(w);
            Region track = new Region();
            track.getStyleClass().add("cand-track");
            StackPane bars = new StackPane(track, bar);
            StackPane.setAlignment(bar, Pos.CENTER_LEFT);
            bars.setPrefWidth(70);
            bars.setMaxWidth(70);
            Label prob = new Label(String.format(Locale.ROOT, "%.1f%%", 100 * pr.probs()[j]));
            prob.getStyleClass().add("cand-prob");
            VBox box = new VBox(1, name, bars, prob);
            box.getStyleClass().add("cand");
            if (pr.ids()[j] == pr.chosen()) box.getStyleClass().add("cand-chosen");
            box.setPrefWidth(78);
            box.setMinWidth(78);
            return box;
        }
    }
}
