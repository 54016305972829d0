import { applyDecorators, Injectable, PipeTransform, UsePipes } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { fieldsOf, RequestRejected, requestSchema } from '@tracker/http';
import { EpcisDocument } from './epcis-document.schema';

/**
 * A document whose structure breaks EPCIS 2.0 is refused at once, 400 naming each field (an
 * EPCIS ValidationException); refusals of events by the tracker's rules come in the job status.
 */
@Injectable()
class EpcisDocumentPipe implements PipeTransform {
  transform(value: unknown, metadata: { type: string }): unknown {
    if (metadata.type !== 'body') return value;
    const result = EpcisDocument.safeParse(value);
    if (result.success) return result.data;
    const errors = fieldsOf(result.error.issues);
    const summary = errors.map((error) => `${error.field} ${error.rule}`).join('; ');
    throw new RequestRejected(
      400,
      'epcis-validation-exception',
      `ValidationException: the document is not a valid EPCIS 2.0 document: ${summary}`,
      errors,
    );
  }
}

/** The route takes an EPCIS 2.0 document, validated and documented from {@link EpcisDocument}. */
export const EpcisDocumentBody = () =>
  applyDecorators(
    UsePipes(new EpcisDocumentPipe()),
    ApiBody({
      schema: requestSchema(EpcisDocument),
      description:
        'An EPCIS 2.0 document (application/json or application/ld+json); the mapping to shipment facts is in the shipment-service README.',
    }),
  );

/** The EPCIS header choosing what a capture does with refused events. */
export const CAPTURE_ERROR_BEHAVIOUR = 'GS1-Capture-Error-Behaviour';

/**
 * Capture here is all or nothing per document: `GS1-Capture-Error-Behaviour` may be left out
 * or say `rollback`; asking for another behaviour (`proceed`) is refused, 400, before anything
 * is stored, rather than silently rolled back.
 */
export function requireRollback(behaviour: string | undefined): void {
  if (behaviour === undefined || behaviour.trim().toLowerCase() === 'rollback') return;
  throw new RequestRejected(
    400,
    'capture-error-behaviour-not-supported',
    `ValidationException: ${CAPTURE_ERROR_BEHAVIOUR} ${behaviour} is not supported: a capture is applied whole or not at all`,
    [{ field: CAPTURE_ERROR_BEHAVIOUR, rule: 'must be rollback or left out' }],
  );
}
