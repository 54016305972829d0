import { Body, Controller, Module, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { JsonBody, Roles, Write, WriteRequest } from '@tracker/http';
import { Written } from '@tracker/outbox';
import { AnnouncePledgeBody, AnnouncePledgeRequest } from './pledge.requests';

/**
 * `POST /v1/pledges/bench-noop`, served only with `BENCH_NOOP_WRITE=on` (`npm run bench:ingest`
 * sets it): everything the edge does for `POST /v1/pledges` (rate limit, token, role, the
 * announcement's body validation, the `Written` answer) and nothing after it, no transaction, no
 * event. The ingest benchmark's baseline: a write can cost no less than this through the same
 * gateway → service hops. Left out of the OpenAPI document: it is no part of the API.
 */
@ApiExcludeController()
@Controller('v1/pledges/bench-noop')
export class BenchNoopController {
  @Post()
  @Roles('admin', 'donor')
  @JsonBody(AnnouncePledgeRequest)
  announce(
    @Write(201) request: WriteRequest,
    @Body() body: AnnouncePledgeBody,
  ): Written<AnnouncePledgeBody> {
    return { status: request.successStatus, body, replayed: false };
  }
}

/** The module of {@link BenchNoopController}; AppModule imports it when the flag is on. */
@Module({ controllers: [BenchNoopController] })
export class BenchNoopModule {}
