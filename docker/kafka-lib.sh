# Shared by kafka-broker.sh, kafka-init.sh and kafka-acls.sh (sourced, never run): who the Kafka
# users are, where their passwords come from, and which topics the cluster holds. POSIX sh.
#
# Kafka user names are the role strings of AUTH_TOKENS plus one per service:
#   service:<service>   each of the six services (KAFKA_SASL_USERNAME in compose.yaml)
#   producer:<org>      a producer organisation's own system, one per entry of PRODUCER_ORGS
#   admin, ops          people and tools
#   broker              the brokers themselves, on the inter-broker and controller listeners only

SERVICES='gateway pledge-service production-service shipment-service projection-service webhook-service'

# The topics ops may read (DESIGN.md §3); the dead-letter and inbound topics are not among them.
CONTRACT_TOPICS='tracker.pledges.v1 tracker.production.v1 tracker.shipments.v1 tracker.stockpiles.v1 tracker.alerts.v1'

fail() {
  echo "kafka: $*" >&2
  exit 1
}

# Checks each organisation of PRODUCER_ORGS (comma-separated) against the producer:<org> rule of
# AUTH_TOKENS; runs in the calling shell, so a bad name stops the script.
check_producer_orgs() {
  for org in $(printf '%s' "${PRODUCER_ORGS:-}" | tr ',' ' '); do
    printf '%s\n' "$org" | grep -Eqx '[a-z0-9][a-z0-9-]{0,62}' ||
      fail "PRODUCER_ORGS: \"$org\" must be 1-63 characters a-z 0-9 - (as in producer:<org>)"
  done
}

# The organisations of PRODUCER_ORGS, one a line (call check_producer_orgs first).
producer_orgs() {
  printf '%s' "${PRODUCER_ORGS:-}" | tr ', ' '\n\n' | sed '/^$/d'
}

# Passwords end up inside JAAS strings and properties files, so they keep to a safe alphabet.
check_password() {
  printf '%s\n' "$2" | grep -Eqx '[A-Za-z0-9._~+-]{12,256}' ||
    fail "$1 must be 12-256 characters A-Z a-z 0-9 . _ ~ + - (see docker/.env.example)"
}

# The password held by the variable named $1, checked, into $password.
password_of() {
  eval "password=\${$1:-}"
  [ -n "$password" ] || fail "$1 is not set (copy docker/.env.example to docker/.env and fill it)"
  check_password "$1" "$password"
}

# SASL_PLEDGE_SERVICE_PASSWORD for pledge-service.
service_password_variable() {
  printf 'SASL_%s_PASSWORD' "$(printf '%s' "$1" | tr 'a-z-' 'A-Z_')"
}

# Every client user and its password, "<user> <password>" a line: admin, ops, the five services,
# then producer:<org> for each organisation, whose password is its entry of
# PRODUCER_SASL_PASSWORDS (<org>:<password>,...).
client_users() {
  check_producer_orgs
  password_of SASL_ADMIN_PASSWORD
  printf 'admin %s\n' "$password"
  password_of SASL_OPS_PASSWORD
  printf 'ops %s\n' "$password"
  for service in $SERVICES; do
    password_of "$(service_password_variable "$service")"
    printf 'service:%s %s\n' "$service" "$password"
  done
  for org in $(producer_orgs); do
    password=
    for entry in $(printf '%s' "${PRODUCER_SASL_PASSWORDS:-}" | tr ',' ' '); do
      [ "${entry%%:*}" = "$org" ] && password=${entry#*:}
    done
    [ -n "$password" ] || fail "PRODUCER_SASL_PASSWORDS has no <org>:<password> entry for $org"
    check_password "PRODUCER_SASL_PASSWORDS ($org)" "$password"
    printf 'producer:%s %s\n' "$org" "$password"
  done
}

# The topics the init job creates, "<topic> <partitions>" a line (replication factor 3 and
# min.insync.replicas 2 for all). Keys spread over the partitions; 6 leaves room for two replicas
# of each consumer and more. tracker.inbound.<org>.shipments.v1 is the one topic each producer
# system may write; shipment-service reads them all by pattern.
topic_plan() {
  check_producer_orgs
  for topic in $CONTRACT_TOPICS; do
    printf '%s 6\n' "$topic"
  done
  printf 'tracker.deadletter.v1 3\n'
  for org in $(producer_orgs); do
    printf 'tracker.inbound.%s.shipments.v1 3\n' "$org"
  done
}

# Client settings for the command-line tools, as admin over SASL PLAIN (admin's SCRAM credential
# may not exist yet: the init job creates it). Written to $1, readable by its owner only.
write_admin_config() {
  password_of SASL_ADMIN_PASSWORD
  umask 077
  cat >"$1" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$password";
EOF
}
