<?php
// Copernica's call sequence (copernica-apis.md §2.5, from PomSoapClient 2.1's soaptest.php) with PHP's own SoapClient,
// given only the WSDL URL and a token, as PomSoapClient 2.1 calls: SOAP 1.1, access_token added to every input
// structure. Prints the results as JSON.
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
$list = fn($value) => is_array($value) ? $value : [$value];
$out = [];

// 1. An existing database of that name is removed first.
$existing = $call('Account_database', ['identifier' => $input['database']]);
$out['existing'] = is_object($existing->database ?? null) ? $existing->database->id : null;
if ($out['existing'] !== null) {
    $out['removed'] = $call('Database_remove', ['id' => $out['existing']])->value;
}
$out['missing'] = is_object($call('Account_database', ['identifier' => $input['database']])->database ?? null);

// 2. A new database.
$database = $call('Account_createDatabase', ['name' => $input['database']])->database;
$out['database'] = $database->id;

// 3. Its fields; Email by specialcontent.
$call('Database_createField', ['id' => $database->id, 'name' => 'FirstName', 'display' => true]);
$call('Database_createField', ['id' => $database->id, 'name' => 'LastName', 'display' => true]);
$call('Database_createField', ['id' => $database->id, 'name' => 'Email', 'display' => true, 'specialcontent' => 'email']);
$fields = $list($call('Database_fields', ['id' => $database->id])->items->databasefield);
$out['fields'] = array_map(fn($f) => $f->name . ':' . $f->type, $fields);

// 4. A collection with a field.
$collection = $call('Database_createCollection', ['id' => $database->id, 'name' => 'Children'])->collection;
$out['collection'] = $collection->name;
$out['collectionField'] = $call('Collection_createField', ['id' => $collection->id, 'name' => 'Name', 'display' => true])->collectionfield->name;

// 5. A profile.
$profile = $call('Database_createProfile', ['id' => $database->id, 'fields' => ['pair' => [
    ['key' => 'FirstName', 'value' => 'Ed'], ['key' => 'LastName', 'value' => 'Emmer'], ['key' => 'Email', 'value' => 'ed@emmer.nl'],
]]])->profile;
$out['profile'] = $profile->id;

// 6. A subprofile in the collection.
$out['subprofile'] = $call('Profile_createSubProfile', ['id' => $profile->id, 'collection' => ['id' => $collection->id],
    'fields' => ['pair' => [['key' => 'Name', 'value' => 'Kid']]]])->subprofile->id;

// 7. Search by Email, loop over the items.
$search = $call('Database_searchProfiles', ['id' => $database->id, 'allproperties' => true,
    'requirements' => [['fieldname' => 'Email', 'value' => 'ed@emmer.nl', 'operator' => '=']]]);
$out['found'] = $search->total;
$out['foundIds'] = array_map(fn($p) => $p->id, $list($search->items->profile));

// 8. Change the Email.
$out['updated'] = $call('Profile_updateFields', ['id' => $profile->id, 'fields' => ['pair' => [['key' => 'Email', 'value' => 'eddy@emmer.nl']]]])->value;
$pairs = $call('Profile_fields', ['id' => $profile->id])->map->pair;
$out['email'] = array_values(array_filter($pairs, fn($p) => $p->key === 'Email'))[0]->value;
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
