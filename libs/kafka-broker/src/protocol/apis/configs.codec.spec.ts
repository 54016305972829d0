import { kafkajsBody, kafkajsParse, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { ErrorCode } from '../error-codes';
import { Reader } from '../reader';
import { Writer } from '../writer';
import { decodeAlterConfigsRequest, encodeAlterConfigsResponse } from './alter-configs.codec';
import {
  ConfigResourceType,
  ConfigSource,
  decodeDescribeConfigsRequest,
  encodeDescribeConfigsResponse,
  type DescribeConfigsResult,
} from './describe-configs.codec';
import {
  ConfigOperation,
  decodeIncrementalAlterConfigsRequest,
} from './incremental-alter-configs.codec';

const retention: DescribeConfigsResult = {
  errorCode: ErrorCode.NONE,
  errorMessage: null,
  resourceType: ConfigResourceType.Topic,
  resourceName: 'orders',
  configs: [
    {
      name: 'retention.ms',
      value: '60000',
      readOnly: false,
      source: ConfigSource.DynamicTopicConfig,
      isSensitive: false,
      synonyms: [
        { name: 'retention.ms', value: '60000', source: ConfigSource.DynamicTopicConfig },
        { name: 'log.retention.ms', value: '604800000', source: ConfigSource.DefaultConfig },
      ],
      configType: 5,
      documentation: 'Segments whose newest record is older go.',
    },
  ],
};

interface KafkajsDescribed {
  resources: {
    resourceName: string;
    configEntries: {
      configName: string;
      configValue: string;
      isDefault: boolean;
      configSource: number;
      configSynonyms?: { configName: string; configSource: number }[];
    }[];
  }[];
}

describe('config codecs', () => {
  it.each(versions(0, 2))('reads DescribeConfigs v%i as kafkajs sends it', async (version) => {
    const reader = await kafkajsBody('describeConfigs', version, {
      resources: [
        { type: ConfigResourceType.Topic, name: 'orders', configNames: ['retention.ms'] },
        { type: ConfigResourceType.Broker, name: '0' },
      ],
      includeSynonyms: true,
    });
    expect(decodeDescribeConfigsRequest(reader, version)).toEqual({
      resources: [
        { resourceType: 2, resourceName: 'orders', configurationKeys: ['retention.ms'] },
        { resourceType: 4, resourceName: '0', configurationKeys: null },
      ],
      includeSynonyms: version >= 1,
      includeDocumentation: false,
    });
    expect(reader.remaining).toBe(0);
  });

  it('reads the documentation flag of DescribeConfigs v3', () => {
    const body = new Writer().array([0], (w) => w.int8(2).string('orders').int32(-1));
    const reader = new Reader(body.boolean(true).boolean(true).toBuffer());
    expect(decodeDescribeConfigsRequest(reader, 3)).toMatchObject({
      includeSynonyms: true,
      includeDocumentation: true,
    });
    expect(reader.remaining).toBe(0);
  });

  it.each(versions(0, 2))(
    'writes a DescribeConfigs v%i response kafkajs parses',
    async (version) => {
      const parsed = await kafkajsParse<KafkajsDescribed>('describeConfigs', version, (w) =>
        encodeDescribeConfigsResponse(w, version, [retention]),
      );
      const [entry] = parsed.resources[0].configEntries;
      expect(entry).toMatchObject({
        configName: 'retention.ms',
        configValue: '60000',
        isDefault: false,
        configSource: ConfigSource.DynamicTopicConfig,
      });
      if (version >= 1) {
        expect(entry.configSynonyms?.map((s) => [s.configName, s.configSource])).toEqual([
          ['retention.ms', ConfigSource.DynamicTopicConfig],
          ['log.retention.ms', ConfigSource.DefaultConfig],
        ]);
      }
    },
  );

  it('writes the config type and documentation of DescribeConfigs v3', () => {
    const writer = new Writer();
    encodeDescribeConfigsResponse(writer, 3, [retention]);
    const reader = new Reader(writer.toBuffer());
    reader.int32();
    const [config] = reader.array((r) => {
      r.int16();
      r.nullableString();
      r.int8();
      r.string();
      return r.array((c) => {
        const read = { name: c.string(), value: c.nullableString(), readOnly: c.boolean() };
        const source = c.int8();
        c.boolean();
        const synonyms = c.array((s) => [s.string(), s.nullableString(), s.int8()]);
        return { ...read, source, synonyms, type: c.int8(), documentation: c.nullableString() };
      })[0];
    });
    expect(config).toEqual({
      name: 'retention.ms',
      value: '60000',
      readOnly: false,
      source: ConfigSource.DynamicTopicConfig,
      synonyms: [
        ['retention.ms', '60000', 1],
        ['log.retention.ms', '604800000', 5],
      ],
      type: 5,
      documentation: 'Segments whose newest record is older go.',
    });
    expect(reader.remaining).toBe(0);
  });

  it.each(versions(0, 1))('reads AlterConfigs v%i as kafkajs sends it', async (version) => {
    const reader = await kafkajsBody('alterConfigs', version, {
      resources: [
        {
          type: ConfigResourceType.Topic,
          name: 'orders',
          configEntries: [{ name: 'retention.ms', value: '1000' }],
        },
      ],
      validateOnly: true,
    });
    expect(decodeAlterConfigsRequest(reader)).toEqual({
      resources: [
        {
          resourceType: 2,
          resourceName: 'orders',
          configs: [{ name: 'retention.ms', value: '1000' }],
        },
      ],
      validateOnly: true,
    });
    expect(reader.remaining).toBe(0);
  });

  it.each(versions(0, 1))('writes an AlterConfigs v%i refusal kafkajs reports', async (version) => {
    const parsing = kafkajsParse('alterConfigs', version, (w) =>
      encodeAlterConfigsResponse(w, [
        {
          errorCode: ErrorCode.INVALID_CONFIG,
          errorMessage: 'bad value',
          resourceType: ConfigResourceType.Topic,
          resourceName: 'orders',
        },
      ]),
    );
    await expect(parsing).rejects.toMatchObject({ type: 'INVALID_CONFIG' });
  });

  it('reads IncrementalAlterConfigs v0 with its operations', () => {
    const body = new Writer().array([0], (w) => {
      w.int8(ConfigResourceType.Topic).string('orders');
      w.array([0, 1], (cw, i) => {
        cw.string(i === 0 ? 'retention.ms' : 'segment.ms');
        cw.int8(i === 0 ? ConfigOperation.Set : ConfigOperation.Delete);
        cw.nullableString(i === 0 ? '1000' : null);
      });
    });
    const reader = new Reader(body.boolean(false).toBuffer());
    expect(decodeIncrementalAlterConfigsRequest(reader)).toEqual({
      resources: [
        {
          resourceType: 2,
          resourceName: 'orders',
          configs: [
            { name: 'retention.ms', operation: ConfigOperation.Set, value: '1000' },
            { name: 'segment.ms', operation: ConfigOperation.Delete, value: null },
          ],
        },
      ],
      validateOnly: false,
    });
    expect(reader.remaining).toBe(0);
  });
});
