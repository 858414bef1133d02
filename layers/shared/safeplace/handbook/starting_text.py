"""The text an admin starts from while no version has text of its own: the fixed text versions were published
with before it could be edited, in the plain-text form the editor reads (see text.py)."""

STARTING_SOURCE = """\
## Our safeguarding and Prevent commitments

{provider_name} has a legal duty (the Prevent duty, section 26 of the Counter-Terrorism and Security Act 2015) to \
have due regard to the need to prevent people from being drawn into terrorism, and a duty to safeguard the learners \
we train. Learners on a work placement with you are still our learners. We will:

- check that every employer meets our minimum requirements before a learner starts, and keep checking while they \
are with you;
- make sure your SPOC has safeguarding and Prevent training we accept, and remind them before it needs refreshing;
- visit and contact learners regularly, and listen to what they and you tell us;
- answer any safeguarding concern you raise the same working day, through our DSL;
- tell you what you need to know to keep learners safe, including when this handbook changes.

## Your SPOC's role

Your SPOC is the person we talk to about each learner's safety, wellbeing and progress. They must have enough \
authority in your organisation to make things happen. Your SPOC:

- is available to the learner's assessor, and gives feedback on the learner's progress;
- makes sure the learner has a health and safety induction on their first day and knows who to talk to if they are \
worried;
- reports any safeguarding or Prevent concern to our DSL the same day, and any unexplained absence as set out below;
- keeps their safeguarding and Prevent training up to date, and reads each new version of this handbook;
- tells us straight away if they are leaving or changing role, so that you can name a new SPOC.

## Recognising and reporting a concern

A concern is anything that makes you think a learner may be at risk of harm, abuse, neglect, exploitation or \
radicalisation, or may harm others. Signs can include:

- a change in behaviour, appearance, mood or friendships; withdrawal, or unexplained injuries;
- frequent or unexplained absence, or being collected or watched by people you do not know;
- expressing extremist views, using extremist language or symbols, or accessing extremist material;
- talking about being controlled, threatened, groomed online, or asked to do things they do not want to do.

If a learner is in immediate danger, call 999. Then tell our DSL.

For any other concern:

- Listen and take it seriously. Do not promise to keep a secret, do not question the learner in detail, and do not \
investigate yourself.
- Write down what you saw or were told, in the learner's own words, with the date and time.
- Tell our DSL the same working day: {dsl_name}, {dsl_phone}, {dsl_email}. Out of hours, call our safeguarding \
line, {safeguarding_phone}.
- Our DSL decides what happens next, including any referral to children's or adults' social care, the police, or \
to Prevent through the local authority (Channel). We will tell you what you need to do.

To report suspected terrorist activity you can also call the police on 101, or the anti-terrorist hotline on \
0800 789 321. Advice on Prevent is at ACT Early (actearly.uk).

## Absence

Unexplained absence can be the first sign that something is wrong. Treat a learner who is absent or avoiding \
contact as vulnerable until you know why.

- A learner has not arrived {absence_report_hours} hours after their start time and has not told you why: try to \
contact them, then tell us the same day: {absence_email}
- A learner aged 16 to 18 is absent without explanation: tell us straight away, the same morning: we contact their \
parent or carer and start early intervention
- A learner is absent for more than 2 days in a row, for any reason: tell us, even if the absence was explained
- You have any worry about why a learner is absent: tell our DSL as a safeguarding concern (section 3)

## Online safety

- Give learners only the access to systems and the internet that their work needs, with your usual filtering and \
monitoring.
- Staff contact learners through work channels only: no private messages on personal accounts or social media.
- Do not share learners' personal details or images without their consent (and, under 18, their parent or carer's).
- Tell our DSL about online bullying, grooming, sharing of images, or extremist material that you see or are told \
about.

## British values

We help learners understand democracy, the rule of law, individual liberty, and mutual respect and tolerance of \
those with different faiths and beliefs, and to see how these apply at work. We ask you to support this: treat \
every learner fairly and with respect, challenge discrimination and prejudice, and let the assessor know of \
everyday examples at work that show these values. We may ask learners about them during reviews, and inspectors \
may too.

## Health and safety

- Learners must have the same protection as your own employees under the Health and Safety at Work etc. Act 1974, \
and be covered by your employer's liability insurance.
- Give each learner a health and safety induction on their first day: emergency procedures, first aid, risks of \
their work and how they are controlled, and how to report a hazard or accident.
- Keep your risk assessment up to date, and tell us of any change to the work that alters the risks.
- Report to us any accident, injury, near miss or dangerous occurrence involving a learner on the same day, as well \
as any report you make under RIDDOR.

## Learners aged 16 to 18

The law gives young people extra protection at work because of their lack of experience and awareness of risk.

- Assess the risks to young people before they start (the Management of Health and Safety at Work Regulations \
1999), and put the measures in place.
- Keep to the limits on working time: no more than 8 hours a day or 40 hours a week, a 30-minute break after 4.5 \
hours, 12 hours' rest between working days and 2 days off each week, and, in general, no night work.
- Supervise them closely, particularly with machinery, chemicals, or work at height.
- Report every unexplained absence straight away (section 4), and any concern to our DSL the same day.
"""
