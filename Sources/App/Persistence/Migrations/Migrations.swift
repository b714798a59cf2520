import Fluent

/// Every schema change in order. A migration, once released, is never edited: later changes
/// are new migrations.
enum AppMigrations {
  static let all: [any Migration] = [
    CreateCompanies(),
    CreateUsers(),
    CreateRefreshTokens(),
    CreateAuditEvents(),
    CreateTrackersAndIssues(),
    CreatePromptTemplates(),
    CreatePrompts(),
    CreateOutputsAndBlobs(),
    UpdateTrackersAddSync(),
    CreateJobs(),
    CreateOAuthStates(),
    CreatePersonalAccessTokens(),
    UpdateAuditEventsAddLoginIndexes(),
    UpdateAuditEventsAddEntity(),
    CreateGenerationDailyStats(),
    UpdateIssuesAddAssigneeListIndex(),
    UpdateJobsAddTenant(),
    UpdateLargeTextUseLZ4(),
    CreateLoginAttempts(),
    CreateGenerationQuarterStats(),
    UpdateJobsAddFailedAt(),
    CreateTemplateLabels(),
    CreateWebhookSubscriptions(),
    CreateOutputReviews(),
    UpdateTemplatesAddTokenBudget(),
    CreateTemplateVersionStats(),
    UpdateIssuesAddDeletedAt(),
    UpdateTrackersAddScope(),
    UpdateTrackersAddSweptAt(),
    UpdatePromptsAddVersionCount(),
    DropUnreadIndexes(),
    OrderRollupUpserts(),
  ]
}
