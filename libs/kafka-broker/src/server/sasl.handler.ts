import { ApiKey } from '../protocol/api-keys';
import {
  decodeSaslAuthenticateRequest,
  encodeSaslAuthenticateResponse,
} from '../protocol/apis/sasl-authenticate.codec';
import {
  decodeSaslHandshakeRequest,
  encodeSaslHandshakeResponse,
} from '../protocol/apis/sasl-handshake.codec';
import { Writer } from '../protocol/writer';
import type { ApiHandlers } from './api-handler';

/**
 * SaslHandshake v0–1 and SaslAuthenticate v0–2, always advertised. The connection's session
 * holds the exchange; see `ConnectionSession` for what each state admits and for Kafka's
 * answers on a listener without SASL (ILLEGAL_SASL_STATE, connection kept).
 */
export function createSaslHandlers(): Pick<
  ApiHandlers,
  ApiKey.SaslHandshake | ApiKey.SaslAuthenticate
> {
  return {
    [ApiKey.SaslHandshake]: async ({ body, version, session }) => {
      const { mechanism } = decodeSaslHandshakeRequest(body);
      const result = session.handshake(mechanism, version);
      const writer = new Writer();
      encodeSaslHandshakeResponse(writer, result.errorCode, result.mechanisms);
      return writer;
    },
    [ApiKey.SaslAuthenticate]: async ({ body, version, session }) => {
      const { authBytes } = decodeSaslAuthenticateRequest(body, version);
      const result = await session.authenticate(authBytes);
      const writer = new Writer();
      encodeSaslAuthenticateResponse(writer, version, result);
      return writer;
    },
  };
}
