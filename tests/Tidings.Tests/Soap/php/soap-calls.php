<?php
// Runs a list of calls with one PHP SoapClient (so a login's session cookie carries over, as in PomSoapClient 1.6),
// given only the WSDL URL. Each call: {method, params, token?}; the token, when given, is added to the input structure
// as PomSoapClient 2.1 does. Prints one JSON line: per call the decoded result (or the fault) and the raw response.
$input = json_decode(stream_get_contents(STDIN), true);
$client = new SoapClient($input['wsdl'], [
    'soap_version' => SOAP_1_1,
    'compression' => SOAP_COMPRESSION_ACCEPT | SOAP_COMPRESSION_GZIP | 5,
    'cache_wsdl' => WSDL_CACHE_NONE,
    'exceptions' => true,
    'trace' => true,
]);
$answers = [];
foreach ($input['calls'] as $call) {
    $params = $call['params'] ?? [];
    if (isset($call['token'])) {
        $params['access_token'] = $call['token'];
    }
    try {
        $result = $client->__soapCall($call['method'], [$params]);
        $answers[] = ['result' => $result, 'response' => $client->__getLastResponse()];
    } catch (SoapFault $fault) {
        $answers[] = ['faultcode' => $fault->faultcode, 'faultstring' => $fault->faultstring, 'response' => $client->__getLastResponse()];
    }
}
echo json_encode($answers), "\n";
