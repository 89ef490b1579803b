<?php
// POSTs as Copernica's PHP REST class (copernica_rest_api.php) does: curl,
// a JSON body with content-type application/json, the token as access_token in the query string, and its rule for the
// answer: no status or HTTP 400 is a failure (false); anything else is success, the id from X-Created or true.
// Input on stdin: {"base": "http://127.0.0.1:port", "token": "...", "posts": [{"path": "...", "data": {...}}]}.
// Output: one JSON array, per POST {"result": false|true|id, "status": code}.

$input = json_decode(stream_get_contents(STDIN), true);

function post($base, $token, $resource, $data)
{
    $query = http_build_query(array('access_token' => $token));
    $curl = curl_init($base . '/v3/' . $resource . '?' . $query);
    $json = json_encode($data);
    curl_setopt($curl, CURLOPT_HTTPHEADER, array('content-type: application/json', 'content-length: ' . strlen($json)));
    curl_setopt($curl, CURLOPT_RETURNTRANSFER, true);
    curl_setopt($curl, CURLOPT_HEADER, true);
    curl_setopt($curl, CURLOPT_POST, true);
    curl_setopt($curl, CURLOPT_POSTFIELDS, $json);
    $answer = curl_exec($curl);
    $httpCode = curl_getinfo($curl, CURLINFO_HTTP_CODE);
    curl_close($curl);

    if (!$httpCode || $httpCode == 400) return array(false, $httpCode);
    if (preg_match('/X-Created:\s?(\d+)/i', $answer, $matches)) return array((int)$matches[1], $httpCode);
    return array(true, $httpCode);
}

$results = array();
foreach ($input['posts'] as $call) {
    list($result, $status) = post($input['base'], $input['token'], $call['path'], $call['data']);
    $results[] = array('result' => $result, 'status' => $status);
}

echo json_encode($results), "\n";
