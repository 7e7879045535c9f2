package dev.clusterservers.processmanager.cli;

/**
 * Where {@code jpm monit}'s four panes go on a terminal of a given size, PM2's arrangement:
 * the process list and the logs on top, the selected instance's metrics and metadata below,
 * and one line of help at the bottom. Computed anew on every resize.
 */
record MonitLayout(Box processes, Box logs, Box metrics, Box metadata, int helpRow) {
    /** Below this the panes cannot hold a line of text each; monit says so instead. */
    static final int MIN_COLUMNS = 60;
    static final int MIN_ROWS = 12;
    /** The bottom panes hold about a dozen rows; more would only take lines from the logs. */
    static final int MAX_BOTTOM_ROWS = 14;
    static final int MIN_BOTTOM_ROWS = 5;
    /** The left column holds the process list (rows of 38 columns); the logs get the rest of the width. */
    static final int MIN_LEFT_COLUMNS = 42;
    static final int MAX_LEFT_COLUMNS = 56;

    /** A framed pane: its outer corner and size, border included. */
    record Box(int column, int row, int width, int height) {
        /** Text rows inside the border. */
        int innerHeight() {
            return Math.max(0, height - 2);
        }

        /** Text columns inside the border and one space of padding each side. */
        int innerWidth() {
            return Math.max(0, width - 4);
        }
    }

    static boolean fits(int columns, int rows) {
        return columns >= MIN_COLUMNS && rows >= MIN_ROWS;
    }

    static MonitLayout of(int columns, int rows) {
        int paneRows = rows - 1;
        int bottom = clamp(paneRows / 2, MIN_BOTTOM_ROWS, MAX_BOTTOM_ROWS);
        int top = paneRows - bottom;
        int left = clamp(columns * 2 / 5, MIN_LEFT_COLUMNS, MAX_LEFT_COLUMNS);
        int right = columns - left;
        return new MonitLayout(
                new Box(0, 0, left, top),
                new Box(left, 0, right, top),
                new Box(0, top, left, bottom),
                new Box(left, top, right, bottom),
                rows - 1);
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}
