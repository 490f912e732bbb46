/** A valid body for POST /api/console/apps: one Drive app with one https redirect URI. */
export const validApp = { name: "My Shop Sync", allowedProductTypes: ["drive"], redirectUris: ["https://shop.example.com/oauth/gellhub/callback"] };
