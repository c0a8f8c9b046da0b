package ai.collectiveagency.schemas.kafka.stage;

import java.util.List;

/**
 * The transform of a {@link TransactionalStage}: one {@link Outcome} per input, in order. It may
 * throw: the stage then tries each input alone, so one bad input affects only itself.
 *
 * @param <I> the decoded input
 */
@FunctionalInterface
public interface BatchHandler<I> {

    List<Outcome> handle(List<Input<I>> batch) throws Exception;
}
