// Issue 18, part 4: the exports. For a seeded stream folded by the real projection and read
// through the real gateway, the Kiel CSV's totals per donor equal the donor reads; a donor's
// events.ndjson holds no other party's operational events; asOf cuts by event time.
import type { TrackerEvent } from '@tracker/contracts';
import type { DonorValue } from '@tracker/read-model';
import {
  aDelivery,
  aDeliveryCorrection,
  aLot,
  aMilestone,
  anAllocation,
  aPledge,
  aPledgeAmendment,
  aPledgeCancellation,
  aShipment,
  aStockpileLevel,
  waitFor,
} from '@tracker/testing';
import { Workbook } from 'exceljs';
import { ReadStack, startReadStack } from './read-stack';

const at = (date: string) => `${date}T10:00:00Z`;

interface KielLine {
  readonly donor: string;
  readonly recipient: string;
  readonly itemCode: string;
  readonly month: string;
  readonly measure: string;
  readonly quantity: number;
  readonly valueEur: string;
}

function csvRows(text: string): KielLine[] {
  const [header, ...lines] = text.split('\r\n').filter((line) => line !== '');
  expect(header).toBe('donor,recipient,itemCode,month,measure,quantity,valueEur');
  return lines.map((line) => {
    const [donor, recipient, itemCode, month, measure, quantity, valueEur] = line.split(',');
    return { donor, recipient, itemCode, month, measure, quantity: Number(quantity), valueEur };
  });
}

const total = (rows: readonly KielLine[], donor: string, measure: string) =>
  rows
    .filter((row) => row.donor === donor && row.measure === measure)
    .reduce((sum, row) => sum + row.quantity, 0);

describe('exports', () => {
  let stack: ReadStack;

  const germanShells = aPledge()
    .withDonor('DE')
    .withRecipient('UA')
    .withQuantity(1_000)
    .withValueCents(1_000_000)
    .announcedAt(at('2026-01-10'))
    .buildEvent({ time: at('2026-01-10') });
  const amended = aPledgeAmendment()
    .forPledge(germanShells.data)
    .withQuantity(800)
    .buildEvent({ time: at('2026-01-20') });
  const germanTanks = aPledge()
    .withDonor('DE')
    .withRecipient('UA')
    .withItem('MBT')
    .withQuantity(10)
    .announcedAt(at('2026-01-11'))
    .buildEvent({ time: at('2026-01-11') });
  const cancelled = aPledgeCancellation()
    .forPledge(germanTanks.data)
    .buildEvent({ time: at('2026-01-12') });
  const germanToPoland = aPledge()
    .withDonor('DE')
    .withRecipient('PL')
    .withQuantity(200)
    .announcedAt(at('2026-01-13'))
    .buildEvent({ time: at('2026-01-13') });
  const lot = aLot()
    .withQuantity(600)
    .buildEvent({ time: at('2026-01-25') });
  const allocation = anAllocation()
    .fromLot(lot.data)
    .forPledge(germanShells.data)
    .withQuantity(500)
    .buildEvent({ time: at('2026-01-26') });
  const germanShipment = aShipment()
    .forPledge(germanShells.data)
    .withQuantity(500)
    .sentBy('producer:rheinmetall')
    .buildEvent({ time: at('2026-02-01') });
  const germanReceipt = aDelivery()
    .forShipment(germanShipment.data)
    .reportedBy('recipient:UA')
    .receivedAt(at('2026-02-05'))
    .buildEvent({ time: at('2026-02-05') });
  const germanCorrection = aDeliveryCorrection()
    .forShipment(germanShipment.data)
    .withReceipt(500, 450)
    .correctedAt(at('2026-02-06'))
    .buildEvent({ time: at('2026-02-06') });
  const french = aPledge()
    .withDonor('FR')
    .withRecipient('UA')
    .withQuantity(300)
    .withValueCents(900_000)
    .announcedAt(at('2026-01-15'))
    .buildEvent({ time: at('2026-01-15') });
  const frenchShipment = aShipment()
    .forPledge(french.data)
    .withQuantity(300)
    .withoutLots()
    .sentBy('donor:FR')
    .buildEvent({ time: at('2026-03-01') });
  const frenchMilestone = aMilestone()
    .forShipment(frenchShipment.data)
    .buildEvent({ time: at('2026-03-02') });
  const frenchReceipt = aDelivery()
    .forShipment(frenchShipment.data)
    .reportedBy('recipient:UA')
    .receivedAt(at('2026-03-03'))
    .buildEvent({ time: at('2026-03-03') });
  const frenchStock = aStockpileLevel()
    .ofNation('FR')
    .buildEvent({ time: at('2026-03-04') });
  const stream: TrackerEvent[] = [
    germanShells,
    amended,
    germanTanks,
    cancelled,
    germanToPoland,
    lot,
    allocation,
    germanShipment,
    germanReceipt,
    germanCorrection,
    french,
    frenchShipment,
    frenchMilestone,
    frenchReceipt,
    frenchStock,
  ];
  const frenchOperational = [frenchShipment, frenchMilestone, frenchReceipt, frenchStock];

  const donor = async (country: string) =>
    (await stack.get('admin', `/v1/donors/${country}`).expect(200)).body as DonorValue;

  beforeAll(async () => {
    stack = await startReadStack('exports');
    await stack.publish(stream);
    await waitFor('the projection to fold every receipt and correction', async () => {
      const [de, fr] = await Promise.all(
        ['DE', 'FR'].map((country) => stack.get('admin', `/v1/donors/${country}`)),
      );
      return (
        de.status === 200 &&
        fr.status === 200 &&
        (de.body as DonorValue).totals.accepted === 450 &&
        (fr.body as DonorValue).totals.accepted === 300
      );
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('kiel.csv: totals per donor equal the donor reads, as an attachment', async () => {
    const response = await stack.get('donorPL', '/v1/export/kiel.csv').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toBe('attachment; filename="kiel.csv"');
    const rows = csvRows(response.text);
    for (const country of ['DE', 'FR']) {
      const read = await donor(country);
      // A cancelled pledge commits nothing; the donor read keeps its pledged quantity.
      const cancelledQuantity = country === 'DE' ? germanTanks.data.quantity : 0;
      expect(total(rows, country, 'Commitment')).toBe(read.totals.pledged - cancelledQuantity);
      expect(total(rows, country, 'Allocation')).toBe(read.totals.accepted);
    }
    expect(rows).toEqual(
      expect.arrayContaining([
        {
          donor: 'DE',
          recipient: 'UA',
          itemCode: 'AMMO-155MM',
          month: '2026-01',
          measure: 'Commitment',
          quantity: 800,
          valueEur: '8000.00',
        },
        {
          donor: 'DE',
          recipient: 'UA',
          itemCode: 'AMMO-155MM',
          month: '2026-02',
          measure: 'Allocation',
          quantity: 450,
          valueEur: '4500.00',
        },
        expect.objectContaining({ donor: 'DE', recipient: 'PL', quantity: 200 }),
      ]),
    );
  });

  it('kiel.csv?asOf= cuts by event time; a bad asOf is a 400 problem', async () => {
    const before = csvRows(
      (await stack.get('admin', '/v1/export/kiel.csv?asOf=2026-02-05T23:00:00Z').expect(200)).text,
    );
    expect(total(before, 'DE', 'Allocation')).toBe(500);
    expect(total(before, 'FR', 'Allocation')).toBe(0);
    const early = csvRows(
      (await stack.get('admin', '/v1/export/kiel.csv?asOf=2026-01-14T00:00:00Z').expect(200)).text,
    );
    expect(total(early, 'DE', 'Commitment')).toBe(1_000 + 200);
    expect(total(early, 'FR', 'Commitment')).toBe(0);
    const bad = await stack.get('admin', '/v1/export/kiel.csv?asOf=yesterday').expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('kiel.xlsx holds the same rows as kiel.csv (read back with exceljs)', async () => {
    const csv = csvRows((await stack.get('admin', '/v1/export/kiel.csv').expect(200)).text);
    const response = await stack
      .get('admin', '/v1/export/kiel.xlsx')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(response.status).toBe(200);
    const workbook = new Workbook();
    await workbook.xlsx.load(response.body as ArrayBuffer);
    // Row values are 1-based: index 0 of each row and row 0 of the sheet are empty.
    const [, header, ...values] = workbook.worksheets[0].getSheetValues() as unknown[][];
    expect(header.slice(1)).toEqual([
      'donor',
      'recipient',
      'itemCode',
      'month',
      'measure',
      'quantity',
      'valueEur',
    ]);
    expect(
      values.map((row) => {
        const [donor, recipient, itemCode, month, measure, quantity, valueEur] = row.slice(1);
        return { donor, recipient, itemCode, month, measure, quantity, valueEur };
      }),
    ).toEqual(csv);
  });

  it("events.ndjson: a donor gets the public events and its own pledges' operations, no other donor's", async () => {
    const linesOf = async (party: Parameters<ReadStack['get']>[0]) => {
      const response = await stack.get(party, '/v1/export/events.ndjson').expect(200);
      expect(response.headers['content-disposition']).toBe('attachment; filename="events.ndjson"');
      return response.text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as TrackerEvent);
    };
    const ids = (events: readonly TrackerEvent[]) => events.map(({ id }) => id).sort();

    const everything = await linesOf('admin');
    expect(ids(everything)).toEqual(ids(stream));

    const german = ids(await linesOf('donorDE'));
    for (const event of frenchOperational) expect(german).not.toContain(event.id);
    for (const event of [germanShipment, germanReceipt, germanCorrection, allocation, french])
      expect(german).toContain(event.id);
    expect(german).not.toContain(lot.id);

    const producer = ids(await linesOf('producerRheinmetall'));
    expect(producer).toEqual(
      expect.arrayContaining([lot.id, allocation.id, germanShipment.id, germanCorrection.id]),
    );
    expect(producer).not.toContain(frenchShipment.id);

    const asOf = ids(
      (
        await stack.get('admin', '/v1/export/events.ndjson?asOf=2026-01-15T10:00:00Z').expect(200)
      ).text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as TrackerEvent),
    );
    expect(asOf).toEqual(ids([germanShells, germanTanks, cancelled, germanToPoland, french]));
  });
});
