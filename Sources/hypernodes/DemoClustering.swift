/// Deterministic k-means over unit vectors.
enum DemoClustering {
    /// The most iterations before k-means stops even if assignments still change.
    static let maxIterations = 50

    /// Assigns each of `points` to one of at most `k` clusters; returns the
    /// cluster of each point, in point order.
    ///
    /// Starts from farthest-point seeds (point 0 first), so the result
    /// depends only on the points and their order.
    static func kMeans(_ points: [[Double]], k: Int) -> [Int] {
        guard !points.isEmpty, k > 0 else { return [] }
        let k = min(k, points.count)
        var centers = [points[0]]
        var nearest = points.map { distance($0, points[0]) }
        while centers.count < k {
            let next = nearest.indices.max { nearest[$0] < nearest[$1] }!
            centers.append(points[next])
            for index in points.indices {
                nearest[index] = min(nearest[index], distance(points[index], points[next]))
            }
        }

        var assignment = [Int](repeating: -1, count: points.count)
        for _ in 0..<maxIterations {
            var changed = false
            for (index, point) in points.enumerated() {
                let best = centers.indices.min { distance(point, centers[$0]) < distance(point, centers[$1]) }!
                if best != assignment[index] {
                    assignment[index] = best
                    changed = true
                }
            }
            if !changed { break }
            let dimensions = points[0].count
            var sums = [[Double]](repeating: [Double](repeating: 0, count: dimensions), count: k)
            var sizes = [Int](repeating: 0, count: k)
            for (index, point) in points.enumerated() {
                sizes[assignment[index]] += 1
                for dimension in 0..<dimensions {
                    sums[assignment[index]][dimension] += point[dimension]
                }
            }
            for cluster in 0..<k where sizes[cluster] > 0 {
                centers[cluster] = sums[cluster].map { $0 / Double(sizes[cluster]) }
            }
        }
        return assignment
    }

    /// The squared Euclidean distance of two vectors.
    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for index in a.indices {
            let difference = a[index] - b[index]
            sum += difference * difference
        }
        return sum
    }
}
