using Tidings.Rest;

namespace Tidings.Delivery;

/// <summary>The mail transfer agent reports what became of each message: delivery, retry, failure and bounce results.</summary>
public static class DeliveryFeature
{
    public static WebApplicationBuilder AddDelivery(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    public static WebApplication MapDelivery(this WebApplication app)
    {
        DeliveryEndpoints.Map(app.MapCopernicaGroup());
        return app;
    }
}
