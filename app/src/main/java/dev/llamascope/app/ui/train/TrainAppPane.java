package dev.llamascope.app.ui.train;

import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.AppPane;
import dev.llamascope.engine.catalog.ModelsFolder;
import java.nio.file.Path;
import javafx.beans.Observable;
import javafx.scene.Node;

/**
 * The Train feature put together: the form follows the window's loaded model, the preview follows the chosen data,
 * and the pane takes datasets handed over by other panes
 * ({@code ctx.links().train}, the Data pane's "train on this"). Checkpoints go to {@code runs/} in the models folder
 * unless the user picks another folder. The device list is probed the first time the pane is shown.
 */
public final class TrainAppPane implements AppPane {
    public static final String ID = "train";

    private final AppContext ctx;
    private final TrainController controller;
    private final TrainView view;

    public TrainAppPane(AppContext ctx) {
        this.ctx = ctx;
        TrainForm form = new TrainForm();
        form.threadsProperty().set(ctx.session().threadsProperty().get());
        form.outputDirProperty().set(defaultOutput().toString());
        form.loadedProperty().bind(ctx.session().currentProperty());
        controller = new TrainController(ctx, form);
        view = new TrainView(controller);
        // the preview is read again whenever what it depends on changes
        for (Observable o : new Observable[]{form.dataProperty(), form.formatProperty(), form.templateProperty(), form.tokenizerProperty(),
                form.startProperty(), form.loadedProperty()}) {
            o.addListener(x -> controller.refreshPreview());
        }
        // a model with a shorter context than the sequence length asks for: propose its context
        form.loadedProperty().addListener((o, a, h) -> {
            if (h == null) return;
            int context = h.summary().contextLength();
            try {
                if (Integer.parseInt(form.text(TrainForm.Knob.SEQ).get().trim()) > context)
                    form.text(TrainForm.Knob.SEQ).set(String.valueOf(context));
            } catch (NumberFormatException e) {
                // the field shows its own error
            }
        });
        controller.refreshPreview();
        // GPUs are probed (driver loaded, kernels compiled: seconds) only once someone looks at the pane
        if (ID.equals(ctx.navigation().current())) controller.refreshDevices();
        else ctx.navigation().currentProperty().addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends String> o, String a, String b) {
                if (!ID.equals(b)) return;
                ctx.navigation().currentProperty().removeListener(this);
                controller.refreshDevices();
            }
        });
        ctx.links().setTrainingHandOff(this::handOff);
    }

    public static TrainAppPane create(AppContext ctx) {
        return new TrainAppPane(ctx);
    }

    private static Path defaultOutput() {
        try {
            return ModelsFolder.fromEnvironment().root().resolve("runs").toAbsolutePath();
        } catch (RuntimeException e) {
            return Path.of(System.getProperty("user.home"), "llamascope-runs");
        }
    }

    /** A dataset from another pane: selected with its format (and tokenizer), shown with its preview. */
    public void handOff(Path data, String format, Path tokenizer) {
        controller.select(data, format, tokenizer);
        view.showPreviewTab();
        ctx.navigation().show(ID);
    }

    public TrainController controller() {
        return controller;
    }

    public TrainView trainView() {
        return view;
    }

    @Override
    public Node view() {
        return view;
    }

    @Override
    public void dispose() {
        controller.dispose();
    }
}
