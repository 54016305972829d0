#!/bin/sh
# The kafka-init container of compose.yaml: once the three brokers answer, creates every client
# user's SCRAM-SHA-512 credential, the topics, and the ACLs (kafka-acls.sh). Every step may run
# again: credentials are overwritten with the current passwords, existing topics are left alone,
# existing ACLs are kept. The services start only after it exits 0.
set -eu
. /opt/tracker/kafka-lib.sh
check_producer_orgs

bin=/opt/kafka/bin
bootstrap=${BOOTSTRAP_SERVERS:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
write_admin_config "$work/admin.properties"
admin="--bootstrap-server $bootstrap --command-config $work/admin.properties"

# 1. Wait until all three brokers are registered (a topic of replication factor 3 needs them).
tries=0
until [ "$("$bin/kafka-broker-api-versions.sh" $admin 2>/dev/null | grep -c '(id: ')" -ge 3 ]; do
  tries=$((tries + 1))
  [ "$tries" -le 60 ] || fail 'three brokers did not register within 5 minutes'
  echo 'waiting for three brokers...'
  sleep 5
done

# 2. SCRAM-SHA-512 credentials, stored in the cluster metadata (KIP-554). Services and producers
# may then log in with SCRAM-SHA-512 or PLAIN.
client_users >"$work/users"
while read -r user password; do
  "$bin/kafka-configs.sh" $admin --alter --entity-type users --entity-name "$user" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]" </dev/null >/dev/null
  echo "SCRAM-SHA-512 credential: $user"
done <"$work/users"
rm -f "$work/users"

# 3. Topics (auto.create.topics.enable is false): replication factor 3, min.insync.replicas 2.
topic_plan >"$work/topics"
while read -r topic partitions; do
  "$bin/kafka-topics.sh" $admin --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor 3 --config min.insync.replicas=2 </dev/null >/dev/null
  echo "topic: $topic ($partitions partitions, replication factor 3)"
done <"$work/topics"

# 4. ACLs.
sh /opt/tracker/kafka-acls.sh
echo 'kafka-init: done'
