namespace Tidings.Rejections;

/// <summary>
/// A request that cannot be carried out, thrown by feature services whoever called them; nothing was changed. The
/// REST API renders it as HTTP 400 with Copernica's error body <c>{"error":{"message":"…"}}</c>; other front ends
/// (SOAP, the dashboard) render the same message their own way.
/// </summary>
internal sealed class RequestRejectedException(string message) : Exception(message);

/// <summary>Copernica's exact error texts (clients match on some of them).</summary>
internal static class CopernicaErrors
{
    public const string InvalidAccessToken = "Invalid access token";
    public const string InvalidMethod = "Invalid method";
    public const string NoDatabase = "No database with supplied ID";
    public const string NoCollection = "No collection with given ID";
    public const string NoProfile = "No entity with supplied ID";
    public const string NoSubprofile = "No subprofile with supplied ID";
    public const string NoField = "No field with supplied ID";
    public const string NoInterest = "No interest with supplied ID";
    public const string InvalidData = "Invalid data provided";
    public const string SubprofileNotCreated = "Subprofile could not be created";
    public const string FieldsParameterRequired = "URL parameter fields is required";
    public const string ProfileAlreadyRemoved = "This profile has already been removed";
    public const string SubprofileAlreadyRemoved = "This subprofile has already been removed";
    public const string ProfileNotCreated = "Failed to create profile";
    public const string ReadOnlyToken = "This access token has no write access";

    public static string MissingPathElement(int element) => $"Invalid request, element {element} is missing in 'directory' path";
}
