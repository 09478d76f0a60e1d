// Office work beyond the review queues: registrations, team review (experts score here),
// self-identification audit, certificates, the working-day calendar.
export default []
