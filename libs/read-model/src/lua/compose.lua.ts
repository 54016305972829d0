import { DAILY_POINTS, FEED_SIZE } from '../values';

/**
 * Lua shared by every script that hands out channel values: how each channel's raw value is
 * read from the keys of an epoch (`E` = `<base><epoch>:`). `compose` returns a string, or false
 * for a channel without data; `present` in TypeScript turns the string into the channel value.
 * `stream_cmp` orders stream ids; `stream_gap` says whether entries after `since` were trimmed
 * (trimming is the only deletion, so they were iff older entries are gone and `since` is older
 * than the first entry kept — conservative when `since` itself was the last one trimmed).
 */
export const COMPOSE_LUA = `
local DAILY = ${DAILY_POINTS}
local FEED = ${FEED_SIZE}

local function hash_raw(key)
  local h = redis.call('HGETALL', key)
  if #h == 0 then return false end
  return cjson.encode(h)
end

local function list_raw(items)
  return '[' .. table.concat(items, ',') .. ']'
end

local function item_raw(E, code)
  local h = redis.call('HGETALL', E .. 'agg:item:' .. code)
  if #h == 0 then return false end
  local dates = redis.call('ZREVRANGE', E .. 'dates:' .. code, 0, DAILY - 1)
  local points = {}
  if #dates > 0 then
    -- Oldest first; one HMGET for every day's three measures (one call per day was the cost of
    -- composing an item on each step that changed it).
    local fields = {}
    for i = #dates, 1, -1 do
      local d = dates[i]
      fields[#fields + 1] = d .. ':p'
      fields[#fields + 1] = d .. ':s'
      fields[#fields + 1] = d .. ':d'
    end
    local v = redis.call('HMGET', E .. 'series:' .. code, unpack(fields))
    for j = 1, #dates do
      local d = dates[#dates - j + 1]
      points[j] = cjson.encode({d, v[3 * j - 2] or '0', v[3 * j - 1] or '0', v[3 * j] or '0'})
    end
  end
  return '{"h":' .. cjson.encode(h) .. ',"d":[' .. table.concat(points, ',') .. ']}'
end

local function compose(E, channel)
  if channel == 'overview' then return hash_raw(E .. 'agg:overview') end
  if channel == 'alerts' then return list_raw(redis.call('HVALS', E .. 'alerts')) end
  if channel == 'feed' then return list_raw(redis.call('ZREVRANGE', E .. 'feed', 0, FEED - 1)) end
  local colon = string.find(channel, ':', 1, true)
  if not colon then return false end
  local kind = string.sub(channel, 1, colon - 1)
  local id = string.sub(channel, colon + 1)
  if kind == 'donor' then return hash_raw(E .. 'agg:donor:' .. id) end
  if kind == 'item' then return item_raw(E, id) end
  if kind == 'pledge' then return redis.call('HGET', E .. 'pledge:' .. id, 'v') end
  if kind == 'programme' then return hash_raw(E .. 'agg:programme:' .. id) end
  return false
end

local function last_id(stream)
  local last = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)
  if #last == 0 then return '0-0' end
  return last[1][1]
end

local function stream_cmp(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  if am ~= bm then if am < bm then return -1 else return 1 end end
  if as ~= bs then if as < bs then return -1 else return 1 end end
  return 0
end

-- 'ok', 'expired' (entries after since were trimmed) or 'ahead' (since was never written).
local function stream_gap(stream, since)
  if redis.call('EXISTS', stream) == 0 then
    if since == '0-0' then return 'ok' end
    return 'expired'
  end
  local info = redis.call('XINFO', 'STREAM', stream)
  local f = {}
  for i = 1, #info, 2 do f[info[i]] = info[i + 1] end
  if stream_cmp(since, f['last-generated-id']) > 0 then return 'ahead' end
  if tonumber(f['entries-added']) == tonumber(f['length']) then return 'ok' end
  local first = f['first-entry']
  if first and stream_cmp(since, first[1]) >= 0 then return 'ok' end
  return 'expired'
end
`;
