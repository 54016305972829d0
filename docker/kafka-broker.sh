#!/bin/sh
# Starts one Kafka node of compose.yaml: writes the SASL login settings, then hands over to the
# apache/kafka image's own start script (/etc/kafka/docker/run), which turns the KAFKA_* variables
# into server.properties, formats the log directory on first start and runs the node.
#
# Why a file and not KAFKA_* variables: the login settings are JAAS strings full of '=' (which the
# image's variable-to-property conversion drops) and they hold passwords (which do not belong in
# compose.yaml). The image appends its KAFKA_* properties to /mnt/shared/config/server.properties
# when that file exists, so that is where they go.
#
# Listeners (KAFKA_LISTENERS in compose.yaml), all SASL_PLAINTEXT:
#   CONTROLLER, INTERNAL  PLAIN, one user: broker (a super user); the nodes among themselves.
#   CLIENT, EXTERNAL      SCRAM-SHA-512 (credentials in the cluster metadata, created by
#                         kafka-init.sh) and PLAIN (the users listed here, same passwords).
set -eu
. /opt/tracker/kafka-lib.sh

password_of SASL_BROKER_PASSWORD
broker_password=$password

users=$(mktemp)
trap 'rm -f "$users"' EXIT
client_users >"$users"
# The placeholders of .env.example are public: refuse to run a cluster with them.
if printf '%s\n' "$broker_password" | cat - "$users" | grep -q 'change-me'; then
  fail 'a password is still a placeholder of .env.example (contains "change-me"); set real ones'
fi
printf '%s\n' "${CLUSTER_ID:-}" | grep -Eqx '[A-Za-z0-9_-]{22}' && ! printf '%s' "$CLUSTER_ID" | grep -q REPLACE ||
  fail 'KAFKA_CLUSTER_ID must be a cluster id of kafka-storage.sh random-uuid (22 characters)'

# PLAIN checks a password against the user_<name>="<password>" options of its login module.
# Kafka's own JAAS parser (sasl.jaas.config) takes ':' in option names, so user_service:gateway is
# fine here, where a JAAS file read by the JVM would refuse it.
plain_users=''
while read -r user user_password; do
  plain_users="$plain_users user_$user=\"$user_password\""
done <"$users"

plain=org.apache.kafka.common.security.plain.PlainLoginModule
scram=org.apache.kafka.common.security.scram.ScramLoginModule
between_nodes="$plain required username=\"broker\" password=\"$broker_password\" user_broker=\"$broker_password\";"

umask 077
cat >/mnt/shared/config/server.properties <<EOF
# Written by kafka-broker.sh at each start; the image appends the KAFKA_* properties below.
listener.name.controller.plain.sasl.jaas.config=$between_nodes
listener.name.internal.plain.sasl.jaas.config=$between_nodes
listener.name.client.scram-sha-512.sasl.jaas.config=$scram required;
listener.name.client.plain.sasl.jaas.config=$plain required$plain_users;
listener.name.external.scram-sha-512.sasl.jaas.config=$scram required;
listener.name.external.plain.sasl.jaas.config=$plain required$plain_users;
EOF

rm -f "$users"
trap - EXIT
exec /etc/kafka/docker/run
