package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.FleetPin;
import ai.collectiveagency.schemas.FleetPins;

/**
 * Deserializer of {@link FleetPin} (the {@code fleet-control} topic) that reads every released
 * version and checks {@link FleetPins#validate}; no-arg, so it can be named in
 * {@code value.deserializer}.
 */
public class FleetPinDeserializer extends AvroDeserializer<FleetPin> {

  /** A deserializer that knows every version in {@code schema-history/FleetPin/}. */
  public FleetPinDeserializer() {
    super(FleetPin.getClassSchema(), FleetPin::createDecoder, FleetPins::validate);
  }
}
