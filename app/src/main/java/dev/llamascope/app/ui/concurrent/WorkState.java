package dev.llamascope.app.ui.concurrent;

/**
 * Where a pane's long-running work stands; views bind enablement and visibility to it. A pane uses the states
 * that apply to it (Models: LOADING; Generate: GENERATING).
 */
public enum WorkState {
    IDLE, LOADING, GENERATING, CANCELLING, DONE, ERROR;

    /** Work is under way (or being stopped): start buttons off, stop/cancel on. */
    public boolean isBusy() {
        return this == LOADING || this == GENERATING || this == CANCELLING;
    }
}
