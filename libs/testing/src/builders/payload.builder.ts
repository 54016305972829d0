import { buildEvent, BuildEventOptions, EventOf, EventType, PayloadOf } from '@tracker/contracts';

type OptionalKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

/**
 * Base of the fluent payload builders: immutable (every `with…` returns a new builder, so a
 * shared base builder never leaks changes between tests) and always valid by default.
 */
export abstract class PayloadBuilder<T extends EventType> {
  constructor(
    readonly type: T,
    protected readonly fields: PayloadOf<T>,
    private readonly source: string,
  ) {}

  /** A copy of this builder with one field replaced. */
  protected with<K extends keyof PayloadOf<T>>(key: K, value: PayloadOf<T>[K]): this {
    return this.copy({ ...this.fields, [key]: value } as PayloadOf<T>);
  }

  /** A copy of this builder with several fields replaced. */
  protected withFields(fields: Partial<PayloadOf<T>>): this {
    return this.copy({ ...this.fields, ...fields } as PayloadOf<T>);
  }

  /** Drops an optional field, e.g. `aPledge().without('targetDate')`. */
  without(key: OptionalKeys<PayloadOf<T>>): this {
    const fields = { ...this.fields };
    delete fields[key];
    return this.copy(fields);
  }

  /** The payload (a fresh copy each call). */
  build(): PayloadOf<T> {
    return structuredClone(this.fields);
  }

  /** The payload wrapped in a valid CloudEvent via `buildEvent`. */
  buildEvent(options: Partial<BuildEventOptions> = {}): EventOf<T> {
    return buildEvent(this.type, this.build(), { source: this.source, ...options });
  }

  private copy(fields: PayloadOf<T>): this {
    const clone = Object.create(Object.getPrototypeOf(this) as object) as this;
    return Object.assign(clone, this, { fields });
  }
}
