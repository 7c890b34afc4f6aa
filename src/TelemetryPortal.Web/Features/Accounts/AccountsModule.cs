using Microsoft.AspNetCore.Identity;

namespace TelemetryPortal.Web.Features.Accounts;

/// <summary>Accounts: local users and their sessions, sign-in and sign-out.</summary>
public static class AccountsModule
{
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        services.AddSingleton<AccountService>();
        return services;
    }
}
