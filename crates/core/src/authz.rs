//! Who may do what: the authorization policy, decided from the actor and the ticket's state.
//!
//! Every interaction is checked here on the server, whatever buttons the member could see.
//!
//! Roles, in the order [`role_of`] decides them:
//! - **Owner**: the member who opened the ticket. An admin or staff member acting in their own
//!   ticket is its owner there: they asked for help, so they use It Works! like anyone else.
//! - **Admin**: the server owner, or a member with ADMINISTRATOR or MANAGE_GUILD.
//! - **Staff**: a member with one of the server's configured staff roles. MANAGE_CHANNELS alone
//!   does not make staff: many servers give it to moderators who should not see tickets, and
//!   the server says who its staff are through the hub.
//! - **AddedMember**: someone added to the ticket with `/add`.
//! - **Outsider**: everyone else.

use thiserror::Error;

use crate::model::{GuildSettings, Snowflake, Ticket, TicketStatus, WhoMayClose};

/// Discord's ADMINISTRATOR permission bit.
pub const ADMINISTRATOR: u64 = 1 << 3;
/// Discord's MANAGE_GUILD permission bit.
pub const MANAGE_GUILD: u64 = 1 << 5;

/// The member acting, as an interaction describes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Snowflake,
    pub role_ids: Vec<Snowflake>,
    /// The member's computed permissions from the interaction (`member.permissions`).
    pub permissions: u64,
    pub is_guild_owner: bool,
}

impl Actor {
    /// The server owner, or ADMINISTRATOR, or MANAGE_GUILD.
    pub fn is_admin(&self) -> bool {
        self.is_guild_owner || self.permissions & (ADMINISTRATOR | MANAGE_GUILD) != 0
    }

    /// Holds one of the server's staff roles.
    pub fn is_staff(&self, settings: &GuildSettings) -> bool {
        self.role_ids
            .iter()
            .any(|r| settings.staff_roles.contains(r))
    }
}

/// The actor's standing, towards a ticket when there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActorRole {
    Owner,
    AddedMember,
    Staff,
    Admin,
    Outsider,
}

impl ActorRole {
    /// Every role, for tables.
    pub const ALL: [ActorRole; 5] = [
        ActorRole::Owner,
        ActorRole::AddedMember,
        ActorRole::Staff,
        ActorRole::Admin,
        ActorRole::Outsider,
    ];

    /// Staff or admin.
    pub fn is_staff_or_admin(self) -> bool {
        matches!(self, ActorRole::Staff | ActorRole::Admin)
    }
}

/// What an actor is trying to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    OpenTicket,
    ItWorks,
    NeedHelp,
    Close,
    Claim,
    Unclaim,
    AddMember,
    RemoveMember,
    DeleteChannel,
    Reopen,
    CloseAll,
    ConfigureHub,
    ViewStats,
}

impl Action {
    /// Every action, for tables.
    pub const ALL: [Action; 13] = [
        Action::OpenTicket,
        Action::ItWorks,
        Action::NeedHelp,
        Action::Close,
        Action::Claim,
        Action::Unclaim,
        Action::AddMember,
        Action::RemoveMember,
        Action::DeleteChannel,
        Action::Reopen,
        Action::CloseAll,
        Action::ConfigureHub,
        Action::ViewStats,
    ];

    /// Acts on one ticket, so needs one.
    pub fn needs_ticket(self) -> bool {
        !matches!(
            self,
            Action::OpenTicket | Action::CloseAll | Action::ConfigureHub | Action::ViewStats
        )
    }
}

/// Why an action was refused; the message catalog phrases each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum Refusal {
    #[error("only the ticket's owner may do this")]
    NotOwner,
    #[error("only staff may do this")]
    NotStaff,
    #[error("only server admins may do this")]
    NotAdmin,
    #[error("this server lets only staff close tickets")]
    OwnerMayNotClose,
    #[error("this is not a ticket channel")]
    NotATicket,
    #[error("the ticket is still being set up")]
    NotReady,
    #[error("the ticket is already closed")]
    AlreadyClosed,
    #[error("the ticket's channel is already deleted")]
    AlreadyDeleted,
    #[error("the ticket is not closed")]
    NotClosed,
    #[error("help was already requested")]
    AlreadyAskedForHelp,
    #[error("the ticket is already claimed by {by}")]
    AlreadyClaimed { by: Snowflake },
    #[error("the ticket is not claimed")]
    NotClaimed,
    #[error("the owner cannot be removed from their ticket")]
    CannotRemoveOwner,
    #[error("the member is already in the ticket")]
    AlreadyMember,
    #[error("the member is not in the ticket")]
    NotAMember,
    #[error("the ticket system is disabled")]
    Disabled,
}

/// The actor's role, towards `ticket` when there is one (see the module docs for the order).
pub fn role_of(actor: &Actor, ticket: Option<&Ticket>, settings: &GuildSettings) -> ActorRole {
    if ticket.is_some_and(|t| t.owner_id == actor.user_id) {
        ActorRole::Owner
    } else if actor.is_admin() {
        ActorRole::Admin
    } else if actor.is_staff(settings) {
        ActorRole::Staff
    } else if ticket.is_some_and(|t| t.members.contains(&actor.user_id)) {
        ActorRole::AddedMember
    } else {
        ActorRole::Outsider
    }
}

/// Decides whether `role` may take `action` on a ticket in `ticket_status` (`None`: no ticket).
///
/// Who may act is checked before the ticket's state, so an outsider learns nothing about a
/// ticket's state from the refusal.
pub fn authorize(
    action: Action,
    role: ActorRole,
    ticket_status: Option<TicketStatus>,
    settings: &GuildSettings,
) -> Result<(), Refusal> {
    check_role(action, role, settings)?;
    if !action.needs_ticket() {
        return Ok(());
    }
    let status = ticket_status.ok_or(Refusal::NotATicket)?;
    check_state(action, status)
}

fn check_role(action: Action, role: ActorRole, settings: &GuildSettings) -> Result<(), Refusal> {
    let staff = role.is_staff_or_admin();
    match action {
        Action::OpenTicket if !settings.enabled => Err(Refusal::Disabled),
        Action::OpenTicket => Ok(()),
        Action::ItWorks | Action::NeedHelp if role == ActorRole::Owner => Ok(()),
        Action::ItWorks | Action::NeedHelp => Err(Refusal::NotOwner),
        Action::Close if staff => Ok(()),
        Action::Close if role == ActorRole::Owner => match settings.who_may_close {
            WhoMayClose::OwnerAndStaff => Ok(()),
            WhoMayClose::StaffOnly => Err(Refusal::OwnerMayNotClose),
        },
        Action::ConfigureHub if role == ActorRole::Admin => Ok(()),
        Action::ConfigureHub => Err(Refusal::NotAdmin),
        Action::Close
        | Action::Claim
        | Action::Unclaim
        | Action::AddMember
        | Action::RemoveMember
        | Action::DeleteChannel
        | Action::Reopen
        | Action::CloseAll
        | Action::ViewStats => {
            if staff {
                Ok(())
            } else {
                Err(Refusal::NotStaff)
            }
        }
    }
}

fn check_state(action: Action, status: TicketStatus) -> Result<(), Refusal> {
    use TicketStatus::*;
    match (action, status) {
        (_, Opening) => Err(Refusal::NotReady),
        (Action::DeleteChannel | Action::Reopen, Closed) => Ok(()),
        (Action::DeleteChannel | Action::Reopen, Open | NeedHelp) => Err(Refusal::NotClosed),
        (_, Deleted) => Err(Refusal::AlreadyDeleted),
        (_, Closed) => Err(Refusal::AlreadyClosed),
        (Action::NeedHelp, NeedHelp) => Err(Refusal::AlreadyAskedForHelp),
        (_, Open | NeedHelp) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GuildSettings;
    use ActorRole::*;
    use TicketStatus as S;
    use chrono::Utc;

    const OWNER: Snowflake = 10;
    const ADDED: Snowflake = 11;
    const STAFF_ROLE: Snowflake = 500;

    fn settings(who: WhoMayClose) -> GuildSettings {
        GuildSettings {
            staff_roles: vec![STAFF_ROLE],
            who_may_close: who,
            ..GuildSettings::defaults(1)
        }
    }

    fn ticket() -> Ticket {
        Ticket {
            id: 1,
            guild_id: 1,
            number: 1,
            name: "ticket-0001".into(),
            channel_id: Some(99),
            owner_id: OWNER,
            topic: None,
            status: S::Open,
            help_requested_at: None,
            claimed_by: None,
            claimed_at: None,
            created_at: Utc::now(),
            closed_at: None,
            closed_by: None,
            close_how: None,
            close_reason: None,
            deleted_at: None,
            members: vec![ADDED],
            revision: 0,
        }
    }

    fn actor(user_id: Snowflake, roles: &[Snowflake], permissions: u64) -> Actor {
        Actor {
            user_id,
            role_ids: roles.to_vec(),
            permissions,
            is_guild_owner: false,
        }
    }

    #[test]
    fn roles_are_derived() {
        let s = settings(WhoMayClose::OwnerAndStaff);
        let t = ticket();
        let role = |a: &Actor| role_of(a, Some(&t), &s);
        assert_eq!(role(&actor(OWNER, &[], 0)), Owner);
        assert_eq!(role(&actor(OWNER, &[STAFF_ROLE], ADMINISTRATOR)), Owner);
        assert_eq!(role(&actor(ADDED, &[], 0)), AddedMember);
        assert_eq!(role(&actor(ADDED, &[STAFF_ROLE], 0)), Staff);
        assert_eq!(role(&actor(20, &[STAFF_ROLE], 0)), Staff);
        assert_eq!(role(&actor(20, &[], ADMINISTRATOR)), Admin);
        assert_eq!(role(&actor(20, &[], MANAGE_GUILD)), Admin);
        assert_eq!(
            role(&actor(20, &[1, 2], 1 << 4)),
            Outsider,
            "MANAGE_CHANNELS is not staff"
        );
        let mut server_owner = actor(20, &[], 0);
        server_owner.is_guild_owner = true;
        assert_eq!(role(&server_owner), Admin);
        // Without a ticket nobody is its owner or added member.
        assert_eq!(role_of(&actor(OWNER, &[], 0), None, &s), Outsider);
        assert_eq!(role_of(&actor(ADDED, &[STAFF_ROLE], 0), None, &s), Staff);
    }

    /// Who may take each action on a ticket in the state it is meant for: O owner, M added member, S staff, A admin,
    /// X outsider.
    fn allowed_on_open(action: Action, who: WhoMayClose) -> &'static str {
        match (action, who) {
            (Action::OpenTicket, _) => "OMSAX",
            (Action::ItWorks | Action::NeedHelp, _) => "O",
            (Action::Close, WhoMayClose::OwnerAndStaff) => "OSA",
            (Action::Close, WhoMayClose::StaffOnly) => "SA",
            (Action::ConfigureHub, _) => "A",
            (_, _) => "SA",
        }
    }

    fn letter(role: ActorRole) -> char {
        match role {
            Owner => 'O',
            AddedMember => 'M',
            Staff => 'S',
            Admin => 'A',
            Outsider => 'X',
        }
    }

    #[test]
    fn every_action_for_every_role() {
        for who in [WhoMayClose::OwnerAndStaff, WhoMayClose::StaffOnly] {
            let s = settings(who);
            for action in Action::ALL {
                for role in ActorRole::ALL {
                    // Each ticket action in the state it is meant for.
                    let meant_for = match action {
                        Action::DeleteChannel | Action::Reopen => S::Closed,
                        _ => S::Open,
                    };
                    let status = action.needs_ticket().then_some(meant_for);
                    let result = authorize(action, role, status, &s);
                    let expected = allowed_on_open(action, who).contains(letter(role));
                    assert_eq!(
                        result.is_ok(),
                        expected,
                        "{action:?} by {role:?} ({who:?}): {result:?}"
                    );
                    if let Err(refusal) = result {
                        let wanted = match action {
                            Action::ItWorks | Action::NeedHelp => Refusal::NotOwner,
                            Action::ConfigureHub => Refusal::NotAdmin,
                            Action::Close if role == Owner => Refusal::OwnerMayNotClose,
                            _ => Refusal::NotStaff,
                        };
                        assert_eq!(refusal, wanted, "{action:?} by {role:?}");
                    }
                }
            }
        }
    }

    /// The refusal (or none) for a permitted role, by state.
    fn state_outcome(action: Action, status: TicketStatus) -> Result<(), Refusal> {
        let closed_only = matches!(action, Action::DeleteChannel | Action::Reopen);
        match status {
            S::Opening => Err(Refusal::NotReady),
            S::Deleted => Err(Refusal::AlreadyDeleted),
            S::Closed if closed_only => Ok(()),
            S::Closed => Err(Refusal::AlreadyClosed),
            _ if closed_only => Err(Refusal::NotClosed),
            S::NeedHelp if action == Action::NeedHelp => Err(Refusal::AlreadyAskedForHelp),
            _ => Ok(()),
        }
    }

    #[test]
    fn every_ticket_action_for_every_role_in_every_state() {
        let s = settings(WhoMayClose::OwnerAndStaff);
        let states = [S::Opening, S::Open, S::NeedHelp, S::Closed, S::Deleted];
        for action in Action::ALL.into_iter().filter(|a| a.needs_ticket()) {
            for role in ActorRole::ALL {
                let permitted =
                    allowed_on_open(action, WhoMayClose::OwnerAndStaff).contains(letter(role));
                for status in states {
                    let result = authorize(action, role, Some(status), &s);
                    if permitted {
                        assert_eq!(
                            result,
                            state_outcome(action, status),
                            "{action:?} by {role:?} in {status:?}"
                        );
                    } else {
                        // Who may act is decided before the state, whatever the state.
                        let role_refusal = matches!(
                            result,
                            Err(Refusal::NotOwner | Refusal::NotStaff | Refusal::NotAdmin)
                        );
                        assert!(
                            role_refusal,
                            "{action:?} by {role:?} in {status:?}: {result:?}"
                        );
                    }
                }
                // Ticket actions outside a ticket are refused for permitted roles.
                if permitted {
                    assert_eq!(authorize(action, role, None, &s), Err(Refusal::NotATicket));
                }
            }
        }
    }

    #[test]
    fn opening_is_refused_when_disabled() {
        let mut s = settings(WhoMayClose::OwnerAndStaff);
        s.enabled = false;
        for role in ActorRole::ALL {
            assert_eq!(
                authorize(Action::OpenTicket, role, None, &s),
                Err(Refusal::Disabled)
            );
        }
    }
}
