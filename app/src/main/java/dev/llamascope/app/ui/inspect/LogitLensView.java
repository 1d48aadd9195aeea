package dev.llamascope.app.ui.inspect;

import dev.llamascope.app.ui.viz.ColorLegend;
import dev.llamascope.app.ui.viz.LensTable;
import dev.llamascope.app.ui.viz.LogitLensGrid;
import dev.llamascope.app.ui.viz.TokenText;
import dev.llamascope.engine.inference.inspect.Inspection;
import dev.llamascope.engine.inference.inspect.InspectionJson;
import dev.llamascope.engine.inference.inspect.Inspector;
import dev.llamascope.engine.inference.inspect.LogitLens;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;

/** The logit lens tab: a layer × position table of the token each depth would predict. */
public final class LogitLensView extends BorderPane {
    private final InspectModel model;
    final LogitLensGrid grid = new LogitLensGrid();
    private final Label status = new Label();

    public LogitLensView(InspectModel model) {
        this.model = model;
        getStyleClass().add("logit-lens-view");
        ColorLegend legend = new ColorLegend("probability of the top token");
        legend.setMaskedText(null);
        legend.setScale(grid.currentScale());
        grid.styleProperties().forEach(p -> p.addListener(o -> legend.setScale(grid.currentScale())));
        Label key = new Label("outlined: already the model's final prediction · thick outline: from the layer where it settles");
        key.getStyleClass().add("inspect-status");
        status.getStyleClass().add("inspect-status");
        status.setPadding(new Insets(0, 0, 0, 6));
        key.setPadding(new Insets(0, 0, 0, 6));
        // as tall as the table (it scrolls sideways), so the legend sits right under it
        grid.setMaxHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        grid.cellHeightProperty().set(30);
        VBox center = new VBox(6, status, grid, legend, key);
        setCenter(center);
        BorderPane.setMargin(center, new Insets(6, 8, 6, 0));
        setRight(Panels.side(Panels.title("What you see"), Panels.explanation(Explanations.LENS)));
        model.lensProperty().addListener((o, a, b) -> refresh());
        model.inspectionProperty().addListener((o, a, b) -> refresh());
        refresh();
    }

    private void refresh() {
        Inspection in = model.getInspection();
        LogitLens lens = model.getLens();
        if (in == null || lens == null || model.getModel() == null) {
            grid.setTable(null);
            status.setText(in == null ? "Nothing inspected yet." : "Computing the logit lens …");
            return;
        }
        status.setText(String.format(Locale.ROOT, "%d rows (embedding + %d layers) × %d positions", lens.rows(), lens.rows() - 1, lens.positions()));
        grid.setTable(table(in, lens, model.getModel().tokenizer()));
    }

    /** The lens as the grid's table. */
    static LensTable table(Inspection in, LogitLens lens, Tokenizer tok) {
        return new LensTable() {
            public int rows() { return lens.rows(); }
            public int cols() { return lens.positions(); }
            public String rowLabel(int r) { return r == lens.rows() - 1 ? "output (layer " + (r - 1) + ")" : InspectionJson.rowName(r); }
            public String colLabel(int c) { return in.pieces().get(c); }
            public String cellText(int r, int c) { return Inspector.label(tok, lens.top(r, c, 0)); }
            public float cellProb(int r, int c) { return lens.topProb(r, c, 0); }
            public boolean isFinal(int r, int c) { return lens.top(r, c, 0) == lens.finalToken(c); }
            public int settledRow(int c) { return lens.settledRow(c); }

            public String hover(int r, int c) {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s, position %d (after %s):", InspectionJson.rowName(r), c,
                        TokenText.quoted(in.pieces().get(c))));
                for (int j = 0; j < lens.k(); j++) {
                    sb.append(String.format(Locale.ROOT, "%n %d. %s  %.3f", j + 1, TokenText.quoted(Inspector.label(tok, lens.top(r, c, j))), lens.topProb(r, c, j)));
                }
                sb.append(String.format(Locale.ROOT, "%nfinal prediction %s here: p %.3f, rank %d", TokenText.quoted(Inspector.label(tok, lens.finalToken(c))),
                        lens.finalProb(r, c), lens.finalRank(r, c) + 1));
                return sb.toString();
            }
        };
    }
}
