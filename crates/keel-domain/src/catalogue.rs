//! The functions a B2B marketing team usually has to own; a new workspace starts with them.

pub struct CatalogueFunction {
    pub name: &'static str,
    pub description: &'static str,
}

pub const DEFAULT_FUNCTIONS: &[CatalogueFunction] = &[
    CatalogueFunction {
        name: "Acquisition",
        description: "Bringing the right accounts and buyers in: paid media, search, events and partner channels.",
    },
    CatalogueFunction {
        name: "Conversion",
        description: "Turning visits into qualified conversations: landing pages, offers, forms and tests.",
    },
    CatalogueFunction {
        name: "Content",
        description: "Articles, guides and assets that help buyers understand their problem and our answer to it.",
    },
    CatalogueFunction {
        name: "Product marketing",
        description: "Positioning, messaging, launches and what sales says about the product.",
    },
    CatalogueFunction {
        name: "Marketing operations",
        description: "CRM hygiene, tracking, routing rules and the tools the team runs on.",
    },
    CatalogueFunction {
        name: "Reporting",
        description: "Numbers the team and leadership trust, with clear definitions and sources.",
    },
    CatalogueFunction {
        name: "Sales enablement",
        description: "Material and feedback loops that help sales turn leads into revenue.",
    },
    CatalogueFunction {
        name: "Customer marketing",
        description: "Onboarding, expansion, references and advocacy among existing customers.",
    },
];
