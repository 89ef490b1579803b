// Copernica's call sequence (copernica-apis.md §2.5) with the npm soap client, given only the WSDL URL and a token: the
// client reads the WSDL and builds every call from it (rpc/literal: one part, `parameters`). Prints the results as JSON.
const soap = require('soap');

async function main() {
    const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    const client = await soap.createClientAsync(input.wsdl);
    const call = async (method, params) => {
        const [answer] = await client[method + 'Async']({ parameters: { ...params, access_token: input.token } });
        return answer.result;
    };
    const list = value => (Array.isArray(value) ? value : [value]);
    const out = {};
    out.operations = Object.keys(client.describe().POM_SOAP_API.POMPort).sort();
    out.database = (await call('Account_database', { identifier: input.database })).database.id;
    const missing = await call('Account_database', { identifier: 'No such database' });
    out.missing = missing != null && missing.database != null;
    out.databases = (await call('Account_databases', { start: 0, length: 10 })).total;
    out.retrieve = (await call('Database_retrieve', { id: out.database })).database.name;
    out.fields = list((await call('Database_fields', { id: out.database })).items.databasefield).map(f => f.name);
    const profile = (await call('Database_createProfile', {
        id: out.database,
        fields: { pair: [{ key: 'email', value: 'node@example.com' }, { key: 'name', value: 'Node' }] },
    })).profile;
    out.profile = profile.id;
    const search = await call('Database_searchProfiles', {
        id: out.database, allproperties: true,
        requirements: [{ fieldname: 'email', value: 'node@example.com', operator: '=' }],
    });
    out.found = search.total;
    out.foundId = list(search.items.profile)[0].id;
    out.updated = (await call('Profile_updateFields', { id: profile.id, fields: { pair: [{ key: 'name', value: 'Nodey' }] } })).value;
    out.name = list((await call('Profile_fields', { id: profile.id })).map.pair).find(p => p.key === 'name').value;
    try {
        await call('Database_retrieve', { id: '999999999' });
        out.fault = null;
    } catch (error) {
        out.fault = error.root && error.root.Envelope && error.root.Envelope.Body && error.root.Envelope.Body.Fault
            ? error.root.Envelope.Body.Fault.faultcode : String(error);
    }
    if (input.login) {
        // The legacy login, as Copernica's node client does it: keep the soap_ cookies and send them on every call.
        const [answer] = await client.loginAsync({ parameters: input.login });
        out.login = answer.result.value;
        const cookies = [].concat(client.lastResponseHeaders['set-cookie'] || []).map(c => c.split(';')[0]).filter(c => c.startsWith('soap_'));
        client.addHttpHeader('Cookie', cookies.join('; '));
        const [list] = await client.Account_databasesAsync({ parameters: { start: 0, length: 10 } });
        out.sessionDatabases = list.result.total;
    }
    console.log(JSON.stringify(out));
}

main().catch(error => { console.error(error && error.stack ? error.stack : error); process.exit(1); });
