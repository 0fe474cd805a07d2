package org.ankisync.core.collection;

import java.util.List;

/**
 * The ids of revlog entries, cards and notes still to send in {@code chunk}
 * replies, taken from the end of each list as the official server does.
 */
final class ChunkQueue {
    static final int CHUNK_BUDGET = 250;

    final List<Long> revlog;
    final List<Long> cards;
    final List<Long> notes;

    ChunkQueue(List<Long> revlog, List<Long> cards, List<Long> notes) {
        this.revlog = revlog;
        this.cards = cards;
        this.notes = notes;
    }

    /** The ids of the next chunk; {@code done} once every list has run out within the budget. */
    Selection next() {
        Selection selection = new Selection();
        int budget = CHUNK_BUDGET;
        while (budget > 0) {
            if (revlog.isEmpty() && notes.isEmpty() && cards.isEmpty()) {
                break;
            }
            if (!revlog.isEmpty()) {
                selection.revlog.add(revlog.remove(revlog.size() - 1));
                budget--;
            }
            if (!notes.isEmpty()) {
                selection.notes.add(notes.remove(notes.size() - 1));
                budget--;
            }
            if (!cards.isEmpty()) {
                selection.cards.add(cards.remove(cards.size() - 1));
                budget--;
            }
        }
        selection.done = budget > 0;
        return selection;
    }

    static final class Selection {
        final List<Long> revlog = new java.util.ArrayList<>();
        final List<Long> cards = new java.util.ArrayList<>();
        final List<Long> notes = new java.util.ArrayList<>();
        boolean done;
    }
}
