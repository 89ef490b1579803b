<?php
// Copernica's call sequence (copernica-apis.md §2.5) with PHP's own SoapClient, given only the WSDL URL and a token,
// as PomSoapClient 2.1 calls: SOAP 1.1, access_token added to every input structure. Prints the results as JSON.
// PomSoapClient passes 'compression' => SOAP_COMPRESSION_ACCEPT | SOAP_COMPRESSION_GZIP | 5, which is 0 and so compresses nothing; a level is added
// here so that gzip is exercised both ways (compressed requests, and compressed answers accepted).
$input = json_decode(stream_get_contents(STDIN), true);
$client = new SoapClient($input['wsdl'], [
    'soap_version' => SOAP_1_1,
    'compression' => SOAP_COMPRESSION_ACCEPT | SOAP_COMPRESSION_GZIP | 5,
    'cache_wsdl' => WSDL_CACHE_NONE,
    'exceptions' => true,
    'trace' => true,
]);
$token = $input['token'];
$call = function (string $method, array $params) use ($client, $token) {
    $params['access_token'] = $token;
    return $client->__soapCall($method, [$params]);
};
$out = [];
$database = $call('Account_database', ['identifier' => $input['database']]);
$out['database'] = $database->database->id;
$out['missing'] = is_object($call('Account_database', ['identifier' => 'No such database'])->database ?? null);
$out['databases'] = $call('Account_databases', ['start' => 0, 'length' => 10])->total;
$out['created'] = $call('Account_createDatabase', ['name' => 'Children'])->database->name;
$out['retrieve'] = $call('Database_retrieve', ['id' => $out['database']])->database->name;
$fields = $call('Database_fields', ['id' => $out['database']])->items->databasefield;
$out['fields'] = array_map(fn($f) => $f->name, is_array($fields) ? $fields : [$fields]);
$profile = $call('Database_createProfile', ['id' => $out['database'], 'fields' => ['pair' => [
    ['key' => 'email', 'value' => 'ed@emmer.nl'], ['key' => 'name', 'value' => 'Ed'],
]]])->profile;
$out['profile'] = $profile->id;
$search = $call('Database_searchProfiles', ['id' => $out['database'], 'allproperties' => true,
    'requirements' => [['fieldname' => 'email', 'value' => 'ed@emmer.nl', 'operator' => '=']]]);
$out['found'] = $search->total;
$out['foundId'] = $search->items->profile->id;
$out['updated'] = $call('Profile_updateFields', ['id' => $profile->id, 'fields' => ['pair' => [['key' => 'name', 'value' => 'Eddy']]]])->value;
$pairs = $call('Profile_fields', ['id' => $profile->id])->map->pair;
$out['name'] = array_values(array_filter($pairs, fn($p) => $p->key === 'name'))[0]->value;
$out['code'] = $call('Profile_retrieve', ['id' => $profile->id])->profile->code;
try {
    $call('Database_retrieve', ['id' => '999999999']);
    $out['fault'] = null;
} catch (SoapFault $fault) {
    $out['fault'] = $fault->faultcode;
}
$out['gzipped'] = stripos($client->__getLastRequestHeaders(), 'Content-Encoding: gzip') !== false
    && stripos($client->__getLastResponseHeaders(), 'Content-Encoding: gzip') !== false;
echo json_encode($out), "\n";
