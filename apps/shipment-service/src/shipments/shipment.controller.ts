import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ShipmentDispatchedV1 } from '@tracker/contracts';
import {
  Caller,
  CurrentCaller,
  JsonBody,
  Reads,
  Roles,
  Write,
  WriteRequest,
  validParam,
  validQuery,
} from '@tracker/http';
import {
  DispatchShipmentBody,
  DispatchShipmentRequest,
  ListShipmentsFilter,
  ListShipmentsQuery,
  CorrectDeliveryBody,
  CorrectDeliveryRequest,
  RecordDeliveryBody,
  RecordDeliveryRequest,
  RecordLossBody,
  RecordLossRequest,
  RecordMilestoneBody,
  RecordMilestoneRequest,
} from './shipment.requests';
import { ShipmentService } from './shipment.service';

const shipmentId = validParam(ShipmentDispatchedV1.shape.shipmentId, 'id');

@ApiTags('shipments')
@ApiBearerAuth()
@Controller('v1/shipments')
export class ShipmentController {
  constructor(private readonly shipments: ShipmentService) {}

  @Post()
  @Roles('admin', 'producer', 'donor')
  @ApiOperation({
    summary:
      'Dispatch a shipment towards a pledge: a producer within what it allocated, a donor from its own stocks (honours Idempotency-Key)',
  })
  @JsonBody(DispatchShipmentRequest)
  dispatch(@Write(201) request: WriteRequest, @Body() body: DispatchShipmentBody) {
    return this.shipments.dispatch(request, body);
  }

  @Post(':id/milestones')
  @Roles('admin', 'producer', 'donor')
  @ApiOperation({ summary: "Record a point the shipment reached on its way (the sender's)" })
  @JsonBody(RecordMilestoneRequest)
  addMilestone(
    @Write(201) request: WriteRequest,
    @Param('id', shipmentId) id: string,
    @Body() body: RecordMilestoneBody,
  ) {
    return this.shipments.addMilestone(request, id, body);
  }

  @Post(':id/delivery')
  @HttpCode(200)
  @Roles('admin', 'recipient')
  @ApiOperation({
    summary:
      "Confirm receipt: received, accepted, rejected (once; the pledge's recipient, never the sender)",
  })
  @JsonBody(RecordDeliveryRequest)
  receive(
    @Write(200) request: WriteRequest,
    @Param('id', shipmentId) id: string,
    @Body() body: RecordDeliveryBody,
  ) {
    return this.shipments.receive(request, id, body);
  }

  @Post(':id/delivery/corrections')
  @HttpCode(200)
  @Roles('admin', 'recipient')
  @ApiOperation({
    summary:
      "Correct a receipt reported wrongly, with the reason (the pledge's recipient or an admin; the receipt and the correction both stay)",
  })
  @JsonBody(CorrectDeliveryRequest)
  correctReceipt(
    @Write(200) request: WriteRequest,
    @Param('id', shipmentId) id: string,
    @Body() body: CorrectDeliveryBody,
  ) {
    return this.shipments.correctReceipt(request, id, body);
  }

  @Post(':id/loss')
  @HttpCode(200)
  @Roles('admin', 'producer', 'donor')
  @ApiOperation({
    summary: "Report goods of the shipment lost on the way (the sender's, before delivery)",
  })
  @JsonBody(RecordLossRequest)
  reportLoss(
    @Write(200) request: WriteRequest,
    @Param('id', shipmentId) id: string,
    @Body() body: RecordLossBody,
  ) {
    return this.shipments.reportLoss(request, id, body);
  }

  @Get()
  @Reads('operational')
  @ApiOperation({
    summary:
      "A pledge's shipments the caller may see (`?pledgeId=`), in dispatch order, each with its milestones as recorded (who reported each, and its revised ETA, an estimate)",
  })
  @ApiQuery({ name: 'pledgeId', required: true, description: "The pledge's id" })
  list(
    @CurrentCaller() caller: Caller,
    @Query(validQuery(ListShipmentsQuery)) query: ListShipmentsFilter,
  ) {
    return this.shipments.ofPledge(caller.role, query.pledgeId);
  }

  @Get(':id')
  @Reads('operational')
  @ApiOperation({ summary: 'A shipment as recorded (system of record)' })
  get(@CurrentCaller() caller: Caller, @Param('id', shipmentId) id: string) {
    return this.shipments.get(caller.role, id);
  }
}
