-- wrk script: GET the scenario's path 16 times per write (HTTP/1.1 pipelining, depth 16).
-- wrk counts every response, so requests/s compares directly with the keep-alive scenario.
local depth = 16

init = function(args)
  local requests = {}
  for i = 1, depth do requests[i] = wrk.format() end
  pipelined = table.concat(requests)
end

request = function()
  return pipelined
end
