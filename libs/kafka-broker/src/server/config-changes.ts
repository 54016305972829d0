import { ConfigOperation } from '../protocol/apis/incremental-alter-configs.codec';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import { ConfigType, TOPIC_CONFIGS } from '../storage';

/** One entry of an IncrementalAlterConfigs resource. */
export interface ConfigChange {
  readonly name: string;
  /** A ConfigOperation, as read from the wire. */
  readonly operation: number;
  readonly value: string | null;
}

/**
 * A topic's overrides after IncrementalAlterConfigs' changes (KIP-339): SET replaces a value,
 * DELETE goes back to the default, APPEND and SUBTRACT add or remove items of a LIST config
 * (starting from its value in force). The values themselves are checked when the result is
 * applied, as on CreateTopics.
 * @throws KafkaProtocolError INVALID_REQUEST for a config listed twice, an unknown operation or
 *   a SET without a value; INVALID_CONFIG for an unknown config or APPEND/SUBTRACT on a non-list
 */
export function applyIncrementalChanges(
  current: Readonly<Record<string, string>>,
  changes: readonly ConfigChange[],
): Record<string, string> {
  const names = changes.map((change) => change.name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) {
    throw new KafkaProtocolError(ErrorCode.INVALID_REQUEST, `config "${repeated}" listed twice`);
  }
  const next = { ...current };
  for (const { name, operation, value } of changes) {
    const definition = TOPIC_CONFIGS.get(name);
    if (definition === undefined) {
      throw new KafkaProtocolError(ErrorCode.INVALID_CONFIG, `unknown topic config "${name}"`);
    }
    switch (operation) {
      case ConfigOperation.Set:
        if (value === null) {
          throw new KafkaProtocolError(ErrorCode.INVALID_REQUEST, `SET of "${name}" has no value`);
        }
        next[name] = value;
        break;
      case ConfigOperation.Delete:
        delete next[name];
        break;
      case ConfigOperation.Append:
      case ConfigOperation.Subtract: {
        if (definition.type !== ConfigType.List) {
          throw new KafkaProtocolError(
            ErrorCode.INVALID_CONFIG,
            `"${name}" is not a list: it cannot be appended to or subtracted from`,
          );
        }
        const items = listItems(next[name] ?? definition.kafkaDefault);
        const given = listItems(value ?? '');
        const result =
          operation === ConfigOperation.Append
            ? [...items, ...given.filter((item) => !items.includes(item))]
            : items.filter((item) => !given.includes(item));
        next[name] = result.join(',');
        break;
      }
      default:
        throw new KafkaProtocolError(
          ErrorCode.INVALID_REQUEST,
          `unknown config operation ${operation} for "${name}"`,
        );
    }
  }
  return next;
}

function listItems(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
