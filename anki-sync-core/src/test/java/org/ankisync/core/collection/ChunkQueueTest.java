package org.ankisync.core.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ChunkQueueTest {

    private static List<Long> ids(long from, long count) {
        return new ArrayList<>(LongStream.range(from, from + count).boxed().toList());
    }

    @Test
    void takesRevlogNoteCardInTurnFromTheEnd() {
        ChunkQueue queue = new ChunkQueue(ids(100, 2), ids(200, 1), ids(300, 3));
        ChunkQueue.Selection chunk = queue.next();
        assertEquals(List.of(101L, 100L), chunk.revlog);
        assertEquals(List.of(302L, 301L, 300L), chunk.notes);
        assertEquals(List.of(200L), chunk.cards);
        assertTrue(chunk.done);
    }

    @Test
    void aRoundMayOverrunTheBudgetToTwoHundredAndFiftyTwo() {
        ChunkQueue queue = new ChunkQueue(ids(0, 1000), ids(10_000, 1000), ids(20_000, 1000));
        ChunkQueue.Selection chunk = queue.next();
        assertEquals(252, chunk.revlog.size() + chunk.notes.size() + chunk.cards.size());
        assertFalse(chunk.done);
    }

    @Test
    void exactlyTheBudgetLeavesAnEmptyFinalChunk() {
        ChunkQueue queue = new ChunkQueue(ids(0, 250), new ArrayList<>(), new ArrayList<>());
        ChunkQueue.Selection first = queue.next();
        assertEquals(250, first.revlog.size());
        assertFalse(first.done);
        ChunkQueue.Selection second = queue.next();
        assertTrue(second.revlog.isEmpty() && second.notes.isEmpty() && second.cards.isEmpty());
        assertTrue(second.done);
    }
}
