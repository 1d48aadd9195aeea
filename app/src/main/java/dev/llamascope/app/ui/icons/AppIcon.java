package dev.llamascope.app.ui.icons;

import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignB;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignH;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;
import org.kordamp.ikonli.materialdesign2.MaterialDesignT;

/**
 * The icons the app uses, by meaning rather than by glyph: code says {@code AppIcon.STOP}, and which Material Design
 * glyph that is lives here only. Icons are font glyphs, so they take their colour from CSS ({@code -fx-icon-color}).
 */
public enum AppIcon {
    MODELS(MaterialDesignC.CUBE_OUTLINE),
    GENERATE(MaterialDesignC.CREATION),
    INSPECT(MaterialDesignM.MAGNIFY_SCAN),
    TRAIN(MaterialDesignS.SCHOOL_OUTLINE),
    DATA(MaterialDesignD.DATABASE_OUTLINE),
    OPEN_FILE(MaterialDesignF.FILE_OUTLINE),
    OPEN_FOLDER(MaterialDesignF.FOLDER_OPEN_OUTLINE),
    DOWNLOAD(MaterialDesignD.DOWNLOAD_OUTLINE),
    TOKENIZER(MaterialDesignF.FILE_DOCUMENT_OUTLINE),
    DROP(MaterialDesignT.TRAY_ARROW_DOWN),
    RECENT(MaterialDesignH.HISTORY),
    PLAY(MaterialDesignP.PLAY),
    STOP(MaterialDesignS.STOP),
    CANCEL(MaterialDesignC.CLOSE),
    COPY(MaterialDesignC.CONTENT_COPY),
    SAVE(MaterialDesignC.CONTENT_SAVE_OUTLINE),
    NEW_SEED(MaterialDesignD.DICE_5_OUTLINE),
    BRANCH(MaterialDesignS.SOURCE_BRANCH),
    KNOBS(MaterialDesignT.TUNE_VARIANT),
    THEME(MaterialDesignT.THEME_LIGHT_DARK),
    ERROR(MaterialDesignA.ALERT_CIRCLE_OUTLINE),
    MEMORY(MaterialDesignM.MEMORY),
    THREADS(MaterialDesignC.CHIP),
    SPEED(MaterialDesignS.SPEEDOMETER),
    TIMER(MaterialDesignT.TIMER_OUTLINE),
    BOOK(MaterialDesignB.BOOK_OPEN_PAGE_VARIANT_OUTLINE);

    private final Ikon ikon;

    AppIcon(Ikon ikon) {
        this.ikon = ikon;
    }

    public Ikon ikon() {
        return ikon;
    }

    /** A new icon node (nodes cannot be shared between parents). */
    public FontIcon node() {
        FontIcon icon = new FontIcon(ikon);
        icon.getStyleClass().add("app-icon");
        return icon;
    }

    public FontIcon node(int size) {
        FontIcon icon = node();
        icon.setIconSize(size);
        return icon;
    }
}
