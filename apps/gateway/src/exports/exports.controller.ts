import { Controller, Get, Logger, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Timestamp } from '@tracker/contracts';
import { Caller, CurrentCaller, Reads, validQuery } from '@tracker/http';
import { KIEL_COLUMNS } from '@tracker/read-model';
import type { Response } from 'express';
import { z } from 'zod';
import { PROBLEM_RESPONSE } from '../reads/read-schemas';
import { EventsExportService } from './events-export.service';
import { KielExportService } from './kiel-export.service';
import { CsvRowWriter } from './row-writer';
import { XlsxRowWriter } from './xlsx-writer';

/** `?asOf=<RFC 3339>`: only what happened at or before it (event time). */
const ExportQuery = z.object({ asOf: Timestamp.optional() }).strict();
/** Named apart from its schema: Nest's reflection would take the schema object for a class. */
type ExportFilter = z.infer<typeof ExportQuery>;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const AS_OF_QUERY = {
  name: 'asOf',
  required: false,
  description: 'RFC 3339: only what happened at or before it (event time)',
  example: '2026-06-30T23:59:59Z',
};
const KIEL_DESCRIPTION = `Columns ${KIEL_COLUMNS.join(', ')}: one row per donor × recipient × item × month × measure (Commitment: pledged, Allocation: delivered, recipient-confirmed)`;

/**
 * Exports (issue 18, part 4): the Kiel layout as CSV and XLSX, and every event the caller may
 * see as NDJSON. Each answer is streamed: rows go out as they are produced, and a large export
 * is never whole in memory. A failure once the answer started can only cut it short.
 */
@ApiTags('exports')
@ApiBearerAuth()
@ApiUnauthorizedResponse(PROBLEM_RESPONSE)
@ApiBadRequestResponse(PROBLEM_RESPONSE)
@Controller('v1/export')
export class ExportsController {
  private readonly logger = new Logger(ExportsController.name);

  constructor(
    private readonly kiel: KielExportService,
    private readonly events: EventsExportService,
  ) {}

  @Get('kiel.csv')
  @Reads('public')
  @ApiOperation({ summary: 'Pledged and delivered per donor, recipient, item and month (CSV)' })
  @ApiQuery(AS_OF_QUERY)
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: KIEL_DESCRIPTION })
  async kielCsv(
    @Query(validQuery(ExportQuery)) query: ExportFilter,
    @Res() response: Response,
  ): Promise<void> {
    start(response, 'text/csv; charset=utf-8', 'kiel.csv');
    await this.stream(response, () => this.kiel.write(query.asOf, new CsvRowWriter(response)));
  }

  @Get('kiel.xlsx')
  @Reads('public')
  @ApiOperation({ summary: 'The Kiel CSV rows as an XLSX workbook (exceljs)' })
  @ApiQuery(AS_OF_QUERY)
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: KIEL_DESCRIPTION })
  async kielXlsx(
    @Query(validQuery(ExportQuery)) query: ExportFilter,
    @Res() response: Response,
  ): Promise<void> {
    start(response, XLSX, 'kiel.xlsx');
    await this.stream(response, () =>
      this.kiel.write(query.asOf, new XlsxRowWriter(response, 'kiel')),
    );
  }

  @Get('events.ndjson')
  @Reads('public', 'operational', 'national', 'commercial')
  @ApiOperation({
    summary: 'Every event the caller may see, one CloudEvent per line, from the log',
  })
  @ApiQuery(AS_OF_QUERY)
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'CloudEvents 1.0 (structured mode), one JSON object per line' })
  async eventsNdjson(
    @CurrentCaller() caller: Caller,
    @Query(validQuery(ExportQuery)) query: ExportFilter,
    @Res() response: Response,
  ): Promise<void> {
    start(response, 'application/x-ndjson', 'events.ndjson');
    await this.stream(response, () => this.events.write(caller.role, query.asOf, response));
  }

  /** Runs an export into the started answer; a failure cuts the answer short (no trailer). */
  private async stream(response: Response, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (!response.destroyed) this.logger.error(`export cut short: ${String(error)}`);
      response.destroy(error instanceof Error ? error : undefined);
    }
  }
}

function start(response: Response, contentType: string, fileName: string): void {
  response.status(200);
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  response.setHeader('Cache-Control', 'no-store');
}
