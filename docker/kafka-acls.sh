#!/bin/sh
# The cluster's ACLs, granted as admin with kafka-acls. Run by the kafka-init container after the
# brokers are up; safe to run again (granting an ACL that exists changes nothing). The brokers run
# StandardAuthorizer with allow.everyone.if.no.acl.found=false, so whatever is not granted here is
# refused (TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED),
# except for the super users User:broker and User:admin.
#
#   KAFKA_ACLS_DRY_RUN=1 PRODUCER_ORGS=rheinmetall,nammo sh docker/kafka-acls.sh
# prints the commands instead of running them (no broker needed).
#
# Revoking is by hand: an organisation taken out of PRODUCER_ORGS keeps its ACLs until
#   kafka-acls.sh ... --remove --principal User:producer:<org> --topic tracker.inbound.<org>.shipments.v1
#   kafka-acls.sh ... --remove --principal User:producer:<org> --cluster
set -eu
. "${TRACKER_KAFKA_LIB:-/opt/tracker/kafka-lib.sh}"
check_producer_orgs

if [ "${KAFKA_ACLS_DRY_RUN:-}" = 1 ]; then
  acl() { printf 'kafka-acls.sh --add %s\n' "$*"; }
else
  admin_config=$(mktemp)
  trap 'rm -f "$admin_config"' EXIT
  write_admin_config "$admin_config"
  acl() {
    /opt/kafka/bin/kafka-acls.sh --bootstrap-server "${BOOTSTRAP_SERVERS:?}" \
      --command-config "$admin_config" --add "$@" >/dev/null
    echo "granted: $*"
  }
fi

# Each service: everything on the tracker.* topics and tracker* consumer groups (groups are
# <KAFKA_GROUP_PREFIX>.<service>.<purpose>, prefix tracker), and on the cluster what an idempotent
# producer and a topic-describing admin client need.
services=''
for service in $SERVICES; do
  services="$services --allow-principal User:service:$service"
done
# shellcheck disable=SC2086 # one --allow-principal per service
acl $services --operation All --resource-pattern-type prefixed --topic tracker. --group tracker
# shellcheck disable=SC2086
acl $services --operation IdempotentWrite --operation Create --operation Describe \
  --operation DescribeConfigs --cluster

# Each producer organisation: write to its own inbound topic, nothing else; no read, no group.
for org in $(producer_orgs); do
  acl --allow-principal "User:producer:$org" --operation Write --operation Describe \
    --operation Create --resource-pattern-type literal --topic "tracker.inbound.$org.shipments.v1"
  acl --allow-principal "User:producer:$org" --operation IdempotentWrite --cluster
done

# ops (and admin, a super user anyway, so that the grant is written down): read the contract
# topics, in consumer groups named ops.*.
topics=''
for topic in $CONTRACT_TOPICS; do
  topics="$topics --topic $topic"
done
# shellcheck disable=SC2086 # one --topic per contract topic
acl --allow-principal User:ops --allow-principal User:admin --operation Read --operation Describe \
  --resource-pattern-type literal $topics
acl --allow-principal User:ops --allow-principal User:admin --operation Read \
  --resource-pattern-type prefixed --group ops.
