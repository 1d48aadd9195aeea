package dev.llamascope.app.ui.shell;

import dev.llamascope.app.ui.data.DataPane;
import dev.llamascope.app.ui.generate.GeneratePane;
import dev.llamascope.app.ui.icons.AppIcon;
import dev.llamascope.app.ui.inspect.InspectAppPane;
import dev.llamascope.app.ui.models.ModelsPane;
import dev.llamascope.app.ui.train.TrainAppPane;
import java.util.List;

/**
 * The panes of the main window, in navigation order. Adding a pane is one line here: an id, a title, an icon and
 * a factory that builds it from the {@link dev.llamascope.app.ui.AppContext}.
 */
public final class Panes {
    private Panes() {}

    public static List<PaneSpec> standard() {
        return List.of(
                new PaneSpec(ModelsPane.ID, "Models", AppIcon.MODELS, ModelsPane::create),
                new PaneSpec(GeneratePane.ID, "Generate", AppIcon.GENERATE, GeneratePane::create),
                new PaneSpec(InspectAppPane.ID, "Inspect", AppIcon.INSPECT, InspectAppPane::create),
                new PaneSpec(TrainAppPane.ID, "Train", AppIcon.TRAIN, TrainAppPane::create),
                new PaneSpec(DataPane.ID, "Data", AppIcon.DATA, DataPane::create));
    }
}
