// Fluent builders of valid event payloads with realistic defaults, for tests of every package:
// `aPledge().withQuantity(500).withDonor('DE').build()`, or `.buildEvent()` for a whole event.
export { nextLotNumber, newId } from './ids';
export { PayloadBuilder } from './payload.builder';
export * from './pledge.builder';
export * from './production.builder';
export * from './shipment.builder';
export * from './stockpile-alert.builder';
