import { HISTORY_PREFIX } from '../pledge-history';
import { PUBLIC_LEDGER_SUFFIX } from '../public-ledger';
import { COMPOSE_LUA } from './compose.lua';

/**
 * Snapshot: KEYS[1] epoch pointer; ARGV[1] base; ARGV[2..] channels. Returns
 * `{epoch, lastStreamId, raw…}`: values and the position they are current at, in one step.
 */
export const SNAPSHOT_LUA = `${COMPOSE_LUA}
local epoch = redis.call('GET', KEYS[1]) or '0'
local E = ARGV[1] .. epoch .. ':'
local out = {epoch, last_id(E .. 'stream')}
for i = 2, #ARGV do out[#out + 1] = compose(E, ARGV[i]) end
return out
`;

/**
 * Resume, one chunk of it: KEYS[1] epoch pointer; ARGV[1] base, ARGV[2] epoch of the cursor,
 * ARGV[3] its stream id, ARGV[4] most stream entries the whole resume may still read (and so
 * updates it may still replay), ARGV[5] most entries this call reads, ARGV[6..] channels.
 * Returns `{'replay', epoch, cursorId, id, channel, raw, cause, …}` with the entries after the
 * cursor for those channels once the stream's end is reached; `{'more', epoch, cursorId, read,
 * id, channel, raw, cause, …}` when this call's chunk ran out first (the caller goes on from
 * `cursorId`); or `{'reset', reason, epoch, lastId, raw…}` with a snapshot. A chunk keeps Redis
 * from being held for a whole resume at once; a cursor trimmed away or an epoch changed between
 * chunks is a reset, so a replay never has holes.
 */
export const RESUME_LUA = `${COMPOSE_LUA}
local epoch = redis.call('GET', KEYS[1]) or '0'
local E = ARGV[1] .. epoch .. ':'
local S = E .. 'stream'
local function reset(reason)
  local out = {'reset', reason, epoch, last_id(S)}
  for i = 6, #ARGV do out[#out + 1] = compose(E, ARGV[i]) end
  return out
end
if ARGV[2] ~= epoch then return reset('epoch') end
local since = ARGV[3]
local gap = stream_gap(S, since)
if gap == 'ahead' then return reset('malformed') end
if gap ~= 'ok' then return reset('expired') end
local wanted = {}
for i = 6, #ARGV do wanted[ARGV[i]] = true end
local max = tonumber(ARGV[4])
local chunk = tonumber(ARGV[5])
local out = {'replay', epoch, since}
local cursor = since
local n = 0
-- At most max + 1 entries are read over the whole resume, matching or not: its cost is bounded
-- by the cap however old its cursor, and one entry past the cap is enough to know it is over.
local read = 0
while true do
  local batch = math.min(512, max + 1 - read, chunk - read)
  local entries = redis.call('XRANGE', S, '(' .. cursor, '+', 'COUNT', batch)
  read = read + #entries
  if read > max then return reset('cap') end
  for _, entry in ipairs(entries) do
    cursor = entry[1]
    local f = entry[2]
    local c, v, k = nil, false, '{}'
    for j = 1, #f, 2 do
      if f[j] == 'c' then c = f[j + 1] elseif f[j] == 'v' then v = f[j + 1] elseif f[j] == 'k' then k = f[j + 1] end
    end
    if wanted[c] then
      n = n + 1
      out[#out + 1] = entry[1]
      out[#out + 1] = c
      out[#out + 1] = v
      out[#out + 1] = k
    end
  end
  if #entries < batch then break end
  if read >= chunk then
    out[1] = 'more'
    out[3] = cursor
    table.insert(out, 4, tostring(read))
    return out
  end
end
out[3] = cursor
return out
`;

/**
 * Tail check: KEYS[1] epoch pointer; ARGV[1] base, ARGV[2] epoch of the cursor, ARGV[3] its id.
 * Returns the current epoch and 'ok' | 'expired' | 'ahead' for the cursor's stream.
 */
export const TAIL_CHECK_LUA = `${COMPOSE_LUA}
local epoch = redis.call('GET', KEYS[1]) or '0'
if epoch ~= ARGV[2] then return {epoch, 'epoch'} end
return {epoch, stream_gap(ARGV[1] .. epoch .. ':stream', ARGV[3])}
`;

/**
 * Public ledger: KEYS[1] epoch pointer; ARGV[1] base, ARGV[2] the latest recording time wanted
 * (epoch ms, inclusive). Returns `{fact JSON, recording time, …}` of the current epoch's ledger
 * up to then, oldest first; nothing when there is no epoch. The epoch is read in the same step,
 * so a switch never makes it read a retired or dropped ledger.
 */
export const PUBLIC_LEDGER_LUA = `
local epoch = redis.call('GET', KEYS[1])
if not epoch then return {} end
return redis.call('ZRANGEBYSCORE', ARGV[1] .. epoch .. ':${PUBLIC_LEDGER_SUFFIX}', '-inf', ARGV[2], 'WITHSCORES')
`;

/**
 * A pledge's history in the current epoch: KEYS[1] epoch pointer; ARGV[1] base, ARGV[2] pledge
 * id. Every entry (JSON, unordered: each carries its `seq`); empty when there is no epoch.
 */
export const HISTORY_LUA = `
local epoch = redis.call('GET', KEYS[1])
if not epoch then return {} end
return redis.call('HVALS', ARGV[1] .. epoch .. ':${HISTORY_PREFIX}' .. ARGV[2])
`;
