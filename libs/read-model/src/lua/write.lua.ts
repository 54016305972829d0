import { COUNTER_CEILING } from '../aggregate-fields';
import { HISTORY_PREFIX, HISTORY_SEQUENCE } from '../pledge-history';
import { PUBLIC_LEDGER_SUFFIX } from '../public-ledger';
import { TICK_LOG_SUFFIX } from '../tick-log';
import { COMPOSE_LUA } from './compose.lua';

/**
 * `for_chunks(list, f)` calls `f` with consecutive slices of `list`, so a variadic command
 * (ZMSCORE, ZADD) takes many members per call without passing Lua's limit on unpacked values.
 * Slices have an even length, so `{score, member}` pairs are never split.
 */
const CHUNKS_LUA = `
local function for_chunks(list, f)
  local size = 1000
  for from = 1, #list, size do
    f({unpack(list, from, math.min(from + size - 1, #list))})
  end
end
`;

/**
 * Load: KEYS[1] epoch pointer; ARGV[1] base, ARGV[2] epoch, ARGV[3] JSON
 * `{d: [docKey], s: [eventId], o: [offsetField], a: [[aggregateKey, field…]]}`. Reads, in one
 * step, the current epoch, the epoch's meta hash, each document (revision, doc, value) plus the
 * document its `l` field links to (one level: a shipment's pledge), whether each event id was
 * already applied, the stored offsets and aggregate fields.
 */
export const LOAD_LUA = `${CHUNKS_LUA}
local req = cjson.decode(ARGV[3])
local E = ARGV[1] .. ARGV[2] .. ':'
local current = redis.call('GET', KEYS[1]) or false
local meta = redis.call('HGETALL', E .. 'meta')
local docs = {}
local loaded = {}
local function load(key)
  if loaded[key] then return false end
  loaded[key] = true
  local v = redis.call('HMGET', E .. key, 'r', 'd', 'v', 'l')
  docs[#docs + 1] = key
  docs[#docs + 1] = v[1] or '0'
  docs[#docs + 1] = v[2]
  docs[#docs + 1] = v[3]
  return v[4]
end
local links = {}
for _, key in ipairs(req.d) do
  local l = load(key)
  if l then links[#links + 1] = l end
end
for _, key in ipairs(links) do load(key) end
local seen = {}
for_chunks(req.s, function(ids)
  for _, score in ipairs(redis.call('ZMSCORE', E .. 'seen', unpack(ids))) do
    if score then seen[#seen + 1] = 1 else seen[#seen + 1] = 0 end
  end
end)
local offsets = {}
if #req.o > 0 then offsets = redis.call('HMGET', E .. 'off', unpack(req.o)) end
local aggs = {}
for i, a in ipairs(req.a) do
  local key = table.remove(a, 1)
  if #a > 0 then aggs[i] = redis.call('HMGET', E .. key, unpack(a)) else aggs[i] = {} end
end
return {current, meta, docs, seen, offsets, aggs}
`;

/**
 * The atomic step: KEYS[1] epoch pointer; ARGV[1] base; ARGV[2] the plan as JSON (see
 * BatchWrite in read-model-writer.ts for the fields); ARGV[3..] blobs (documents, values, feed
 * entries, public facts, alerts, outbox events, causes) that the plan refers to by index, passed as they are so the
 * bulk of a step is never escaped into, nor decoded out of, the plan's JSON. Validates everything before writing
 * anything — epoch, asOf, offsets (the batch must start where the stored offset is), document
 * revisions, event ids not yet applied, every counter staying within ±COUNTER_CEILING — and
 * answers `{'epoch', current}`, `{'fenced', field, stored}`, `{'conflict', what}` or
 * `{'ceiling', what}` without a single write when one fails. Then writes documents,
 * aggregate increments (a field reaching zero is deleted, so equal models have equal keys),
 * field sets, daily series, indexes, feed (an entry replacing the one of the same event id),
 * the public ledger (ZADD NX: a fact keeps its first recording time), pledge histories (an
 * event's entry is added once, numbered by the epoch's history sequence), alerts, outbox, meta,
 * the tick log (a step with `tick`), offsets, the dedupe window, and appends one change-stream entry per emitted channel with its value composed after the writes.
 */
export const APPLY_LUA = `${COMPOSE_LUA}${CHUNKS_LUA}
local base = ARGV[1]
local p = cjson.decode(ARGV[2])
local null = cjson.null
local function blob(i) return ARGV[3 + i] end
local E = base .. p.e .. ':'
local current = redis.call('GET', KEYS[1]) or false
if p.live then
  if current ~= p.e then return {'epoch', current} end
elseif redis.call('HGET', E .. 'meta', 'state') ~= 'building' then
  return {'epoch', current}
end
if p.ax ~= null then
  local asOf = redis.call('HGET', E .. 'meta', 'asOf') or ''
  if asOf ~= p.ax then return {'conflict', 'asOf'} end
end
for _, o in ipairs(p.o) do
  local stored = redis.call('HGET', E .. 'off', o[1])
  if stored and stored ~= o[2] then return {'fenced', o[1], stored} end
end
local revs = {}
local linked = {}
for _, w in ipairs(p.w) do
  local stored = redis.call('HMGET', E .. w[1], 'r', 'l')
  local rev = stored[1] or '0'
  if rev ~= w[2] then return {'conflict', w[1]} end
  revs[w[1]] = tonumber(rev)
  linked[w[1]] = stored[2] ~= false
end
local ids = {}
for i, s in ipairs(p.s) do ids[i] = s[1] end
local already = false
for_chunks(ids, function(chunk)
  for _, score in ipairs(redis.call('ZMSCORE', E .. 'seen', unpack(chunk))) do
    if score then already = true end
  end
end)
if already then return {'conflict', 'seen'} end
-- Counters are int64 in Redis but read as doubles here and as numbers in JavaScript: exact to
-- 2^53 - 1. No increment may carry one past that, so a sum is exact or refused, never rounded.
-- Each value is at most 2^53 in magnitude, so a sum past the ceiling never rounds back under it.
local CEILING = ${COUNTER_CEILING}
local after = {}
local function within(key, field, delta)
  local fields = after[key]
  if fields == nil then fields = {}; after[key] = fields end
  local value = fields[field]
  if value == nil then value = tonumber(redis.call('HGET', key, field) or '0') end
  local d = tonumber(delta)
  if value == nil or d == nil or math.abs(value + d) > CEILING then return false end
  fields[field] = value + d
  return true
end
for _, i in ipairs(p.i) do
  if not within(E .. i[1], i[2], i[3]) then return {'ceiling', i[1] .. ' ' .. i[2]} end
end
for _, t in ipairs(p.t) do
  for m = 4, #t, 2 do
    local field = t[2] .. ':' .. t[m]
    if not within(E .. 'series:' .. t[1], field, t[m + 1]) then
      return {'ceiling', 'series:' .. t[1] .. ' ' .. field}
    end
  end
end

for _, w in ipairs(p.w) do
  local key = E .. w[1]
  revs[w[1]] = revs[w[1]] + 1
  local fields = {'d', blob(w[3]), 'r', revs[w[1]]}
  if w[4] ~= null then fields[#fields + 1] = 'v'; fields[#fields + 1] = blob(w[4]) end
  if w[5] ~= null then
    fields[#fields + 1] = 'l'; fields[#fields + 1] = w[5]
  elseif linked[w[1]] then
    redis.call('HDEL', key, 'l')
    linked[w[1]] = false
  end
  redis.call('HSET', key, unpack(fields))
end
for _, i in ipairs(p.i) do
  if redis.call('HINCRBY', E .. i[1], i[2], i[3]) == 0 then redis.call('HDEL', E .. i[1], i[2]) end
end
for _, f in ipairs(p.f) do
  if f[3] == null then redis.call('HDEL', E .. f[1], f[2]) else redis.call('HSET', E .. f[1], f[2], f[3]) end
end
for _, t in ipairs(p.t) do
  local series = E .. 'series:' .. t[1]
  local date = t[2]
  local kept = false
  for m = 4, #t, 2 do
    local field = date .. ':' .. t[m]
    if redis.call('HINCRBY', series, field, t[m + 1]) == 0 then
      redis.call('HDEL', series, field)
    else
      kept = true
    end
  end
  if not kept then
    local left = redis.call('HMGET', series, date .. ':p', date .. ':s', date .. ':d')
    kept = left[1] or left[2] or left[3]
  end
  if kept then
    redis.call('ZADD', E .. 'dates:' .. t[1], t[3], date)
  else
    redis.call('ZREM', E .. 'dates:' .. t[1], date)
  end
end
for _, z in ipairs(p.z) do
  if z[3] == null then redis.call('ZREM', E .. z[1], z[2]) else redis.call('ZADD', E .. z[1], z[3], z[2]) end
end
if #p.fd > 0 then
  local incoming = {}
  for _, fd in ipairs(p.fd) do incoming[fd[3]] = true end
  for _, member in ipairs(redis.call('ZRANGE', E .. 'feed', 0, -1)) do
    if incoming[cjson.decode(member).id] then redis.call('ZREM', E .. 'feed', member) end
  end
  for _, fd in ipairs(p.fd) do redis.call('ZADD', E .. 'feed', fd[2], blob(fd[1])) end
  redis.call('ZREMRANGEBYRANK', E .. 'feed', 0, -(FEED + 1))
end
for _, lg in ipairs(p.lg) do redis.call('ZADD', E .. '${PUBLIC_LEDGER_SUFFIX}', 'NX', lg[2], blob(lg[1])) end
if p.h and #p.h > 0 then
  -- One read and one write of the sequence per step; HSETNX keeps an event's first entry, and
  -- only an entry it wrote takes a number, so the numbers stay consecutive.
  local seq = tonumber(redis.call('GET', E .. '${HISTORY_SEQUENCE}') or '0')
  local first = seq
  for _, h in ipairs(p.h) do
    local entry = '{"seq":' .. (seq + 1) .. ',' .. string.sub(blob(h[3]), 2)
    seq = seq + redis.call('HSETNX', E .. '${HISTORY_PREFIX}' .. h[1], h[2], entry)
  end
  if seq ~= first then redis.call('SET', E .. '${HISTORY_SEQUENCE}', seq) end
end
for _, a in ipairs(p.al) do
  if a[2] == null then redis.call('HDEL', E .. 'alerts', a[1]) else redis.call('HSET', E .. 'alerts', a[1], blob(a[2])) end
end
for _, ob in ipairs(p.ob) do redis.call('RPUSH', base .. 'outbox', blob(ob)) end
for _, m in ipairs(p.m) do redis.call('HSET', E .. 'meta', m[1], m[2]) end
if p.tk ~= nil and p.tk ~= null then
  -- The tick log (time travel): when, by Redis's clock, the asOf set, the offsets applied before.
  local now = redis.call('TIME')
  local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  local off = redis.call('HGETALL', E .. 'off')
  local parts = {}
  for k = 1, #off, 2 do parts[#parts + 1] = cjson.encode(off[k]) .. ':' .. off[k + 1] end
  redis.call('ZADD', E .. '${TICK_LOG_SUFFIX}', ms, '{"asOf":' .. cjson.encode(p.tk) .. ',"wallMs":' .. ms ..
    ',"offsets":{' .. table.concat(parts, ',') .. '}}')
end
for _, o in ipairs(p.o) do redis.call('HSET', E .. 'off', o[1], o[3]) end
if #p.s > 0 then
  local members = {}
  for _, s in ipairs(p.s) do members[#members + 1] = s[2]; members[#members + 1] = s[1] end
  for_chunks(members, function(chunk) redis.call('ZADD', E .. 'seen', unpack(chunk)) end)
  if redis.call('ZCARD', E .. 'seen') > p.win then
    redis.call('ZREMRANGEBYRANK', E .. 'seen', 0, -(p.win + 1))
  end
end
for _, x in ipairs(p.x) do
  local raw = compose(E, x[1])
  if raw then
    redis.call('XADD', E .. 'stream', 'MAXLEN', '~', p.max, '*', 'c', x[1], 'v', raw, 'k', blob(x[2]))
  else
    redis.call('XADD', E .. 'stream', 'MAXLEN', '~', p.max, '*', 'c', x[1], 'k', blob(x[2]))
  end
end
return {'ok'}
`;

/**
 * Start: KEYS[1] epoch pointer; ARGV[1] base, ARGV[2] a fresh epoch id, ARGV[3] now. When no
 * epoch exists (new or flushed Redis) the fresh one becomes current, live and empty; returns the
 * current epoch and whether it was just created.
 */
export const START_EPOCH_LUA = `
local current = redis.call('GET', KEYS[1])
if current then return {current, 0} end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('HSET', ARGV[1] .. ARGV[2] .. ':meta', 'state', 'live', 'createdAt', ARGV[3])
return {ARGV[2], 1}
`;

/** Begin a rebuild: ARGV[1] base, ARGV[2] fresh epoch id, ARGV[3] now; the space starts empty. */
export const BEGIN_BUILD_LUA = `
local meta = ARGV[1] .. ARGV[2] .. ':meta'
if redis.call('EXISTS', meta) == 1 then return 0 end
redis.call('HSET', meta, 'state', 'building', 'createdAt', ARGV[3])
return 1
`;

/**
 * Switch: KEYS[1] epoch pointer; ARGV[1] base, ARGV[2] the rebuilt epoch. Makes it current in
 * one step, retires the previous one and appends an end-of-epoch marker to the previous stream
 * so blocked tails wake up and reset. Returns the previous epoch ('' when none), or false when
 * the rebuilt epoch is not building.
 */
export const SWITCH_EPOCH_LUA = `
local E = ARGV[1] .. ARGV[2] .. ':'
if redis.call('HGET', E .. 'meta', 'state') ~= 'building' then return false end
local old = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[2])
redis.call('HSET', E .. 'meta', 'state', 'live')
if old and old ~= ARGV[2] then
  redis.call('HSET', ARGV[1] .. old .. ':meta', 'state', 'retired')
  redis.call('XADD', ARGV[1] .. old .. ':stream', '*', 'c', '#epoch', 'k', '{}')
  return old
end
return ''
`;

/** Copy open alerts: ARGV[1] base, ARGV[2] from epoch, ARGV[3] to epoch (replacing its alerts). */
export const COPY_ALERTS_LUA = `
local from = ARGV[1] .. ARGV[2] .. ':alerts'
local to = ARGV[1] .. ARGV[3] .. ':alerts'
redis.call('DEL', to)
local all = redis.call('HGETALL', from)
if #all > 0 then redis.call('HSET', to, unpack(all)) end
return #all / 2
`;

/**
 * Outbox acknowledgement: KEYS[1] outbox list; ARGV[1] count, ARGV[2] first, ARGV[3] last
 * element sent. Drops them when they are still at the head (another publisher may have done so).
 */
export const OUTBOX_ACK_LUA = `
local n = tonumber(ARGV[1])
if redis.call('LINDEX', KEYS[1], 0) == ARGV[2] and redis.call('LINDEX', KEYS[1], n - 1) == ARGV[3] then
  redis.call('LTRIM', KEYS[1], n, -1)
  return 1
end
return 0
`;
