package dev.llamascope.app.ui.train;

/** Where the Train pane's run stands; the buttons follow it. */
public enum RunState {
    IDLE, PREPARING, RUNNING, PAUSING, PAUSED, STOPPING, COMPLETED, STOPPED, ERROR;

    /** A run exists (Start off; Stop on). */
    public boolean isBusy() {
        return this == PREPARING || this == RUNNING || this == PAUSING || this == PAUSED || this == STOPPING;
    }
}
