package dev.clusterservers.forkserver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The tutorial's process list: every child the master has, by slot (1 to N), and which of
 * them can take a request right now. The master's loop adds and removes children; HTTP
 * threads read it at the same time, so it is a concurrent map.
 */
final class ProcessList {
    private final Map<Integer, ChildHandle> bySlot = new ConcurrentSkipListMap<>();

    void add(ChildHandle child) {
        bySlot.put(child.slot(), child);
    }

    /** Removes this child, but not a replacement already in its slot. */
    void remove(ChildHandle child) {
        bySlot.remove(child.slot(), child);
    }

    boolean holds(int slot) {
        return bySlot.containsKey(slot);
    }

    Collection<ChildHandle> all() {
        return bySlot.values();
    }

    int size() {
        return bySlot.size();
    }

    /** The children a policy may choose from: ready, answering, and below their in-flight limit. */
    List<ChildHandle> available(int maxInFlight) {
        List<ChildHandle> available = new ArrayList<>(bySlot.size());
        for (ChildHandle child : bySlot.values()) {
            if (child.inRotation() && child.pending() < maxInFlight) {
                available.add(child);
            }
        }
        return available;
    }

    /** Children ready and answering, whatever their load. */
    long inRotationCount() {
        return bySlot.values().stream().filter(ChildHandle::inRotation).count();
    }
}
