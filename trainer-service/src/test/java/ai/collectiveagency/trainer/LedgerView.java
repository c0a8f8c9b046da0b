package ai.collectiveagency.trainer;

import ai.collectiveagency.trainer.checkpoint.TrainerState;
import ai.collectiveagency.trainer.ledger.LedgerEntry;
import ai.collectiveagency.trainer.ledger.LedgerFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The ledger files of a store up to one checkpoint, as the tests look at them. */
public record LedgerView(List<LedgerEntry> entries) {

    /** The ledger up to the version of {@code checkpoint}, a folder of the store. */
    public static LedgerView of(Path checkpoint) {
        return new LedgerView(LedgerFiles.readUpTo(LedgerFiles.folder(checkpoint.getParent()),
                TrainerState.read(checkpoint).version()));
    }

    public List<LedgerEntry> of(LedgerEntry.Kind kind) {
        return entries.stream().filter(e -> e.kind() == kind).toList();
    }

    /** The task ids each step trained on, in step order. */
    public List<List<String>> steps() {
        Map<Long, List<String>> steps = new TreeMap<>();
        of(LedgerEntry.Kind.TRAINED).forEach(e ->
                steps.computeIfAbsent(e.step(), s -> new ArrayList<>()).add(e.taskId()));
        return List.copyOf(steps.values());
    }

    /** The steps in the ledger, in order. */
    public List<Long> stepNumbers() {
        return List.copyOf(of(LedgerEntry.Kind.TRAINED).stream().map(LedgerEntry::step)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
    }

    /** {@code task id: reason category} of every dead-lettered record, in order. */
    public List<String> deadLettered() {
        return of(LedgerEntry.Kind.DEAD_LETTERED).stream()
                .map(e -> e.taskId() + ": " + e.reason().substring(0, e.reason().indexOf(':')))
                .toList();
    }

    /** {@code task id@policy version} of every held-out group evaluated, in order. */
    public List<String> heldOut() {
        return of(LedgerEntry.Kind.HELD_OUT).stream()
                .map(e -> e.taskId() + "@" + e.policyVersion()).toList();
    }

    /** {@code task id@policy version} of every group settled without signal, in order. */
    public List<String> noSignal() {
        return of(LedgerEntry.Kind.NO_SIGNAL).stream()
                .map(e -> e.taskId() + "@" + e.policyVersion()).toList();
    }
}
