import type { ApiHandlers } from './api-handler';
import { createAclsHandlers } from './acls.handler';
import { createAdminHandlers } from './admin.handler';
import { createApiVersionsHandlers } from './api-versions.handler';
import type { BrokerContext } from './broker-context';
import { createConfigsHandlers } from './configs.handler';
import { createDeleteRecordsHandlers } from './delete-records.handler';
import { createFetchHandlers } from './fetch.handler';
import { createGroupAdminHandlers } from './group-admin.handler';
import { createGroupHandlers } from './group.handler';
import { createListOffsetsHandlers } from './list-offsets.handler';
import { createMetadataHandlers } from './metadata.handler';
import { createOffsetsHandlers } from './offsets.handler';
import { createProduceHandlers } from './produce.handler';
import { createProducerIdHandlers } from './producer-id.handler';
import { createSaslHandlers } from './sasl.handler';

/** One handler per advertised API; the `ApiHandlers` type makes a missing one a compile error. */
export function createRequestHandlers(broker: BrokerContext): ApiHandlers {
  return {
    ...createApiVersionsHandlers(),
    ...createMetadataHandlers(broker),
    ...createProduceHandlers(broker),
    ...createFetchHandlers(broker),
    ...createListOffsetsHandlers(broker),
    ...createGroupHandlers(broker),
    ...createOffsetsHandlers(broker),
    ...createGroupAdminHandlers(broker),
    ...createAdminHandlers(broker),
    ...createConfigsHandlers(broker),
    ...createDeleteRecordsHandlers(broker),
    ...createProducerIdHandlers(broker),
    ...createSaslHandlers(),
    ...createAclsHandlers(broker),
  };
}
