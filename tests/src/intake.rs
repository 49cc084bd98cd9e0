//! The one way the tests fill the « Nouvelle réclamation » form: an `Intake` built from a named
//! preset and typed values, typed into the form in its order, then saved.

use crate::{App, TestResult};
use fantoccini::Locator;

const RECEPTION: Option<&str> = Some("Réception");
const COMPLAINANT: Option<&str> = Some("Plaignant");
const FIRM: Option<&str> = Some("Qualifié ou certifié");
const COMPLAINT: Option<&str> = Some("Réclamation");

/// « Adressée à ».
#[derive(Clone, Copy, Debug)]
pub enum Addressee {
    President,
    GeneralDelegate,
    Secretariat,
}

impl Addressee {
    fn label(self) -> &'static str {
        match self {
            Addressee::President => "Président",
            Addressee::GeneralDelegate => "Déléguée Générale",
            Addressee::Secretariat => "Secrétariat",
        }
    }
}

/// How the complaint came in, with what that way asks for.
#[derive(Clone, Debug)]
pub enum Channel {
    Letter,
    RegisteredLetter { number: String },
    Email { subject: String },
}

/// « Qualité » of the complainant.
#[derive(Clone, Copy, Debug)]
pub enum Role {
    Client,
    ThirdParty,
}

impl Role {
    fn label(self) -> &'static str {
        match self {
            Role::Client => "Client du qualifié",
            Role::ThirdParty => "Tiers",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Civility {
    Madame,
    Monsieur,
}

impl Civility {
    fn label(self) -> &'static str {
        match self {
            Civility::Madame => "Madame",
            Civility::Monsieur => "Monsieur",
        }
    }
}

/// The « Qualifié » list: a firm already in the register (its option's text), or a new one.
#[derive(Clone, Debug)]
pub enum FirmChoice {
    Listed(String),
    New,
}

impl FirmChoice {
    fn label(&self) -> &str {
        match self {
            FirmChoice::Listed(option) => option,
            FirmChoice::New => "+ Nouveau qualifié (le créer)",
        }
    }
}

/// « Nature de la réclamation ».
#[derive(Clone, Copy, Debug)]
pub enum Nature {
    Services,
    Ethics,
    MarkUse,
}

impl Nature {
    fn label(self) -> &'static str {
        match self {
            Nature::Services => "Prestations réalisées",
            Nature::Ethics => "Déontologie",
            Nature::MarkUse => "Usage de la marque",
        }
    }
}

/// A new firm's « Statut auprès de l'OPQTECC » boxes (none is ticked in advance).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirmStatus {
    Qualified,
    Certified,
    Rge,
}

impl FirmStatus {
    pub fn label(self) -> &'static str {
        match self {
            FirmStatus::Qualified => "Qualifié",
            FirmStatus::Certified => "Certifié",
            FirmStatus::Rge => "RGE",
        }
    }
}

/// A postal address as the form asks for it; `street` may hold several lines.
#[derive(Clone, Debug)]
pub struct Address {
    pub street: String,
    pub postcode: String,
    pub city: String,
}

/// What a user types into the intake form. A field left `None` (or an empty list) is not
/// touched, so the form keeps its default or what was typed before.
#[derive(Clone, Debug, Default)]
pub struct Intake {
    /// « Date de réception », as typed (`JJ/MM/AAAA`).
    pub received: Option<String>,
    pub addressed_to: Option<Addressee>,
    pub channel: Option<Channel>,
    pub role: Option<Role>,
    pub civility: Option<Civility>,
    pub complainant: Option<String>,
    pub organisation: Option<String>,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// « Répondre par courriel (pas d'adresse postale) » ticked (an email complaint).
    pub reply_by_email: bool,
    pub firm_choice: Option<FirmChoice>,
    pub firm: Option<String>,
    pub siret: Option<String>,
    pub firm_address: Option<Address>,
    /// The boxes ticked for a new firm.
    pub firm_status: Vec<FirmStatus>,
    pub facts: Option<String>,
    pub actions_taken: Option<String>,
    pub natures: Vec<Nature>,
}

impl Intake {
    /// Nothing typed: for the tests that fill only a few fields.
    pub fn blank() -> Intake {
        Intake::default()
    }

    /// The shortest complete complaint: a client's letter against a new firm (ticked
    /// « Qualifié »), with its facts and the actions already taken.
    pub fn complete() -> Intake {
        Intake::blank()
            .received("27/11/2026")
            .role(Role::Client)
            .complainant("Claire Lefèvre")
            .complainant_address("12 rue des Lilas", "69003", "Lyon")
            .firm("Économie Bâtiment Conseil", "3 avenue Foch", "75016", "Paris")
            .firm_status(&[FirmStatus::Qualified])
            .facts("Le métré remis était faux de 30 %.")
            .actions_taken("Courrier au cabinet le 2 octobre, sans réponse.")
            .natures(&[Nature::Services])
    }

    /// A complete complaint with every field of the form filled: a registered letter to the
    /// Président, a two-line address, the firm's SIRET and two natures.
    pub fn full() -> Intake {
        Intake::complete()
            .received("20/11/2026")
            .addressed_to(Addressee::President)
            .channel(Channel::RegisteredLetter { number: "1A 123 456 7890 1".to_owned() })
            .civility(Civility::Madame)
            .organisation("SCI Les Tilleuls")
            .complainant_address("12 rue des Lilas\nBâtiment B", "69003", "Lyon")
            .email("claire.lefevre@example.fr")
            .phone("04 78 00 00 00")
            .firm_choice(FirmChoice::New)
            .siret("732 829 320 00074")
            .facts("Le métré remis le 3 septembre était faux de 30 %.")
            .natures(&[Nature::Services, Nature::Ethics])
    }

    /// A new firm's « Raison sociale » and address.
    pub fn firm(mut self, name: &str, street: &str, postcode: &str, city: &str) -> Intake {
        self.firm = Some(name.to_owned());
        self.firm_address =
            Some(Address { street: street.to_owned(), postcode: postcode.to_owned(), city: city.to_owned() });
        self
    }

    pub fn complainant_address(mut self, street: &str, postcode: &str, city: &str) -> Intake {
        self.street = Some(street.to_owned());
        self.postcode = Some(postcode.to_owned());
        self.city = Some(city.to_owned());
        self
    }

    /// The new firm's status boxes to tick (replacing the preset's).
    pub fn firm_status(mut self, status: &[FirmStatus]) -> Intake {
        self.firm_status = status.to_vec();
        self
    }

    /// Ticks « Répondre par courriel » (the channel must be an email).
    pub fn reply_by_email(mut self) -> Intake {
        self.reply_by_email = true;
        self
    }

    /// Leaves « Actions déjà menées » empty: the complaint is then incomplete.
    pub fn without_actions_taken(mut self) -> Intake {
        self.actions_taken = None;
        self
    }

    /// The natures ticked (replacing the preset's).
    pub fn natures(mut self, natures: &[Nature]) -> Intake {
        self.natures = natures.to_vec();
        self
    }
}

/// One setter a field: `name(value)` sets it, replacing the preset's.
macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $field:ident = $ty:ty => $convert:expr;)*) => {
        impl Intake {
            $(
                $(#[$doc])*
                pub fn $name(mut self, value: $ty) -> Intake {
                    self.$field = Some($convert(value));
                    self
                }
            )*
        }
    };
}

setters! {
    /// « Date de réception », as typed (`JJ/MM/AAAA`).
    received: received = &str => str::to_owned;
    addressed_to: addressed_to = Addressee => std::convert::identity;
    channel: channel = Channel => std::convert::identity;
    role: role = Role => std::convert::identity;
    civility: civility = Civility => std::convert::identity;
    /// « Nom du plaignant ».
    complainant: complainant = &str => str::to_owned;
    organisation: organisation = &str => str::to_owned;
    /// The complainant's « Code postal » alone (an invalid one, say).
    postcode: postcode = &str => str::to_owned;
    email: email = &str => str::to_owned;
    phone: phone = &str => str::to_owned;
    firm_choice: firm_choice = FirmChoice => std::convert::identity;
    /// A new firm's « Raison sociale » alone.
    firm_name: firm = &str => str::to_owned;
    siret: siret = &str => str::to_owned;
    /// « Faits reprochés ».
    facts: facts = &str => str::to_owned;
    /// « Actions déjà menées ».
    actions_taken: actions_taken = &str => str::to_owned;
}

impl App {
    /// Opens the « Nouvelle réclamation » form from the list of complaints.
    pub async fn open_intake_form(&mut self) -> TestResult {
        self.click_text("Réclamations").await?;
        self.click_text("Nouvelle réclamation").await?;
        self.wait_for(Locator::XPath("//h1[normalize-space(.)='Nouvelle réclamation']")).await?;
        Ok(())
    }

    /// Types the intake into the open form, section by section, in the form's order (choosing
    /// a channel or a firm first shows the fields that go with it).
    pub async fn fill_intake(&mut self, intake: &Intake) -> TestResult {
        if let Some(date) = &intake.received {
            self.fill(RECEPTION, "Date de réception", date).await?;
        }
        if let Some(to) = intake.addressed_to {
            self.select(RECEPTION, "Adressée à", to.label()).await?;
        }
        match &intake.channel {
            None => {}
            Some(Channel::Letter) => self.choose(RECEPTION, "Courrier simple").await?,
            Some(Channel::RegisteredLetter { number }) => {
                self.choose(RECEPTION, "Courrier recommandé").await?;
                self.fill(RECEPTION, "N° de recommandé", number).await?;
            }
            Some(Channel::Email { subject }) => {
                self.choose(RECEPTION, "Courriel").await?;
                self.fill(RECEPTION, "Objet du courriel", subject).await?;
            }
        }
        if let Some(role) = intake.role {
            self.choose(COMPLAINANT, role.label()).await?;
        }
        if let Some(civility) = intake.civility {
            self.select(COMPLAINANT, "Civilité", civility.label()).await?;
        }
        let complainant = [
            ("Nom du plaignant", &intake.complainant),
            ("Organisme", &intake.organisation),
            ("Adresse", &intake.street),
            ("Code postal", &intake.postcode),
            ("Ville", &intake.city),
            ("Courriel", &intake.email),
            ("Téléphone", &intake.phone),
        ];
        self.fill_some(COMPLAINANT, &complainant).await?;
        if intake.reply_by_email {
            self.choose(COMPLAINANT, "Répondre par courriel (pas d’adresse postale)").await?;
        }
        if let Some(choice) = &intake.firm_choice {
            self.select(FIRM, "Qualifié", choice.label()).await?;
        }
        let firm_address = intake.firm_address.as_ref();
        let firm = [
            ("Raison sociale", &intake.firm),
            ("SIRET", &intake.siret),
            ("Adresse du qualifié", &firm_address.map(|a| a.street.clone())),
            ("Code postal du qualifié", &firm_address.map(|a| a.postcode.clone())),
            ("Ville du qualifié", &firm_address.map(|a| a.city.clone())),
        ];
        self.fill_some(FIRM, &firm).await?;
        if !matches!(intake.firm_choice, Some(FirmChoice::Listed(_))) {
            for status in &intake.firm_status {
                self.choose(FIRM, status.label()).await?;
            }
        }
        self.fill_some(
            COMPLAINT,
            &[("Faits reprochés", &intake.facts), ("Actions déjà menées", &intake.actions_taken)],
        )
        .await?;
        for nature in &intake.natures {
            self.choose(COMPLAINT, nature.label()).await?;
        }
        Ok(())
    }

    async fn fill_some(&mut self, section: Option<&str>, fields: &[(&str, &Option<String>)]) -> TestResult {
        for (label, value) in fields {
            if let Some(text) = value {
                self.fill(section, label, text).await?;
            }
        }
        Ok(())
    }

    /// Saves the filled form and waits for the new complaint's page; returns its reference.
    pub async fn save_intake(&mut self) -> TestResult<String> {
        self.click_text("Enregistrer la réclamation").await?;
        self.wait_for(Locator::XPath("//h1[starts-with(normalize-space(.), 'REC-')]")).await?;
        // Read in one script: the page re-renders as it settles, which would leave a found
        // element stale.
        let read = "return [...document.querySelectorAll('h1')].map((h) => h.textContent.trim())
                      .find((t) => t.startsWith('REC-')) ?? null;";
        let heading = self.client.execute(read, vec![]).await?;
        let reference = heading.as_str().ok_or("the complaint page has no reference heading")?.to_owned();
        self.wait_text(&format!("Réclamation {reference} enregistrée.")).await?;
        Ok(reference)
    }

    /// Registers a complaint through the form, from wherever the app is; returns its reference.
    pub async fn register(&mut self, intake: &Intake) -> TestResult<String> {
        self.open_intake_form().await?;
        self.fill_intake(intake).await?;
        self.save_intake().await
    }
}
