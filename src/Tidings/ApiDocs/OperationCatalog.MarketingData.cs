using static Tidings.ApiDocs.JsonSchemas;

namespace Tidings.ApiDocs;

/// <summary>Rows: the account, databases, fields, interests, collections, profiles and subprofiles.</summary>
internal static partial class OperationCatalog
{
    private static IEnumerable<ApiOperation> Account() =>
    [
        Get("/v3/identity", "getIdentity", "Identity"),
        Get("/v3/consumption", "getConsumption", "Consumption",
            new ApiParameter("begin", "Required: the first day of the period, YYYY-MM-DD (local time, Rest:TimeZone).", () => String(), Required: true),
            new ApiParameter("end", "Required: the last day of the period, included, YYYY-MM-DD.", () => String(), Required: true)),
        Get("/v3/notices", "listNotices", "NoticeList", Paging),
        Get("/v3/audit", "listAudit", "AuditList", [.. Paging,
            new ApiParameter("type", "Only entries about this kind of target: webhook, domain, webhook-secret, replay, access-token, user, account, database or collection.", () => String())]),
    ];

    private static IEnumerable<ApiOperation> MarketingData() =>
    [
        Get("/v3/databases", "listDatabases", "DatabaseList", Paging),
        Create("/v3/databases", "createDatabase", "DatabaseInput"),
        Get("/v3/database/{id}", "getDatabase", "Database"),
        .. Change("/v3/database/{id}", "updateDatabase", "DatabaseInput"),
        Get("/v3/database/{id}/unsubscribe", "getDatabaseUnsubscribeBehavior", "UnsubscribeBehavior"),
        .. Change("/v3/database/{id}/unsubscribe", "setDatabaseUnsubscribeBehavior", "UnsubscribeBehaviorInput"),
        .. Change("/v3/database/{id}/intentions", "setDatabaseIntentions", "IntentionsInput"),

        Get("/v3/database/{id}/fields", "listDatabaseFields", "FieldList", Paging),
        Create("/v3/database/{id}/fields", "createDatabaseField", "FieldInput"),
        .. Change("/v3/database/{id}/field/{fieldId}", "updateDatabaseField", "FieldInput"),
        Delete("/v3/database/{id}/field/{fieldId}", "deleteDatabaseField"),

        Get("/v3/database/{id}/interests", "listInterests", "InterestList", Paging),
        Create("/v3/database/{id}/interests", "createInterest", "InterestInput"),
        .. Change("/v3/interest/{id}", "updateInterest", "InterestInput"),
        Delete("/v3/interest/{id}", "deleteInterest"),

        Get("/v3/database/{id}/collections", "listCollections", "CollectionList", Paging),
        Create("/v3/database/{id}/collections", "createCollection", "CollectionInput"),
        Get("/v3/collection/{id}", "getCollection", "Collection"),
        .. Change("/v3/collection/{id}", "updateCollection", "CollectionInput"),
        Get("/v3/collection/{id}/unsubscribe", "getCollectionUnsubscribeBehavior", "UnsubscribeBehavior"),
        .. Change("/v3/collection/{id}/unsubscribe", "setCollectionUnsubscribeBehavior", "UnsubscribeBehaviorInput"),
        .. Change("/v3/collection/{id}/intentions", "setCollectionIntentions", "IntentionsInput"),
        Get("/v3/collection/{id}/fields", "listCollectionFields", "FieldList", Paging),
        Create("/v3/collection/{id}/fields", "createCollectionField", "FieldInput"),
        .. Change("/v3/collection/{id}/field/{fieldId}", "updateCollectionField", "FieldInput"),
        Delete("/v3/collection/{id}/field/{fieldId}", "deleteCollectionField"),

        Get("/v3/database/{id}/profiles", "listProfiles", "ProfileList", Query(Paging, [FieldsFilter], Ordering)),
        Get("/v3/database/{id}/profileids", "listProfileIds", "IdList"),
        Create("/v3/database/{id}/profiles", "createProfile", "ProfileInput"),
        new("PUT", "/v3/database/{id}/profiles", "updateProfiles")
        {
            Body = Input("ProfileInput"), Replies = [Created, NoContent], Parameters = [RequiredFieldsFilter, CreateWhenNoMatch],
        },
        new("DELETE", "/v3/database/{id}/profiles", "deleteProfiles")
        {
            Body = Input("ProfilesDelete", required: true),
            Replies = [new("204") { Description = "Removed; X-deleted lists them.", Headers = [("X-deleted", "profiles <id>,<id>,…")] }],
        },
        Get("/v3/profile/{id}", "getProfile", "Profile"),
        .. Change("/v3/profile/{id}", "updateProfile", "ProfileUpdate"),
        Delete("/v3/profile/{id}", "deleteProfile"),
        Get("/v3/profile/{id}/fields", "getProfileFields", "FieldValues"),
        .. Change("/v3/profile/{id}/fields", "updateProfileFields", "FieldValuesInput"),
        Get("/v3/profile/{id}/interests", "getProfileInterests", "ProfileInterests",
            new ApiParameter("return", "ids: interest ids; objects: interest objects; default names.", () => Enum("ids", "objects"))),
        new("POST", "/v3/profile/{id}/interests", "addProfileInterests") { Body = Input("ProfileInterestsInput"), Replies = [NoContent] },
        new("PUT", "/v3/profile/{id}/interests", "replaceProfileInterests") { Body = Input("ProfileInterestsInput"), Replies = [NoContent] },

        Get("/v3/profile/{id}/subprofiles/{collection}", "listProfileSubprofiles", "SubprofileList", Query(Paging, [FieldsFilter], Ordering)),
        Create("/v3/profile/{id}/subprofiles/{collection}", "createSubprofile", "SubprofileFieldsInput"),
        new("PUT", "/v3/profile/{id}/subprofiles/{collection}", "updateProfileSubprofiles")
        {
            Body = Input("SubprofileFieldsInput"), Replies = [Created, NoContent], Parameters = [RequiredFieldsFilter, CreateWhenNoMatch],
        },
        Get("/v3/subprofile/{id}", "getSubprofile", "Subprofile"),
        .. Change("/v3/subprofile/{id}", "updateSubprofile", "SubprofileUpdate"),
        Delete("/v3/subprofile/{id}", "deleteSubprofile"),
        Get("/v3/subprofile/{id}/fields", "getSubprofileFields", "FieldValues"),
        .. Change("/v3/subprofile/{id}/fields", "updateSubprofileFields", "FieldValuesInput"),
        Get("/v3/collection/{id}/subprofiles", "listSubprofiles", "SubprofileList", Query(Paging, [FieldsFilter], Ordering)),
        new("PUT", "/v3/collection/{id}/subprofiles", "updateSubprofiles")
        {
            Body = Input("SubprofileFieldsInput"), Replies = [NoContent], Parameters = [RequiredFieldsFilter],
        },
        Get("/v3/collection/{id}/subprofileids", "listSubprofileIds", "IdList"),
    ];
}
