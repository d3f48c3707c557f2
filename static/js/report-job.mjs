// Polls a compile job's status and updates the page (an aria-live region) until it ends.
const box = document.getElementById('job-progress')

if (box) {
  const url = box.dataset.statusUrl
  const field = (name) => box.querySelector(`[data-field="${name}"]`)

  const poll = async () => {
    let job
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' } })
      if (!response.ok) return setTimeout(poll, 5000)
      job = await response.json()
    } catch {
      return setTimeout(poll, 5000)
    }
    field('status_label').textContent = job.status_label
    field('progress').textContent = job.progress
    field('stage').textContent = job.stage
    if (job.status === 'failed') {
      field('error').textContent = job.error
      field('error-box').hidden = false
    }
    if (job.report_url) {
      field('report-link').querySelector('a').href = job.report_url
      field('report-link').hidden = false
    }
    if (job.status === 'queued' || job.status === 'running') return setTimeout(poll, 1500)
    // Finished: there is no more progress to see by refreshing.
    const hint = field('refresh-hint')
    if (hint) hint.hidden = true
  }
  poll()
}
