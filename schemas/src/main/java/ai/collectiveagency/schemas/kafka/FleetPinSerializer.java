package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.FleetPin;
import ai.collectiveagency.schemas.FleetPins;

/**
 * Serializer of {@link FleetPin} (the {@code fleet-control} topic) that checks {@link
 * FleetPins#validate}; no-arg, so it can be named in {@code value.serializer}.
 */
public class FleetPinSerializer extends AvroSerializer<FleetPin> {

  /** A serializer using the generated class's encoder. */
  public FleetPinSerializer() {
    super(FleetPin.getEncoder(), FleetPins::validate);
  }
}
